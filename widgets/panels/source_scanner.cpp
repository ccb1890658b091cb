#include "panels/source_scanner.h"

#include <QFileInfo>

#include "bridge/background_priority.h"

namespace mg::ui {

namespace {

std::vector<ScannedFolder> scanFolders(const QStringList& folders) {
  std::vector<ScannedFolder> result;
  for (const QString& folder : folders) {
    ScannedFolder scanned;
    scanned.folder = folder;
    scanned.exists = QFileInfo(folder).isDir();
    if (scanned.exists)
      for (io::FoundSource& found : io::findSources(folder.toStdString())) {
        const bool isFolder = QFileInfo(QString::fromStdString(found.path)).isDir();
        auto history = found.role == io::SourceRole::Tasks ? std::vector<io::FileRevision>{}
                                                           : io::fileHistory(found.path);
        scanned.sources.push_back({std::move(found), isFolder, std::move(history)});
      }
    result.push_back(std::move(scanned));
  }
  return result;
}

} // namespace

SourceScanner::SourceScanner(QObject* parent) : QObject(parent), toGui_(new Mailbox(this)) {
  worker_.post(runInBackgroundPriority); // scanning a large library never slows the window
}

SourceScanner::~SourceScanner() {
  latest_ = ~0u; // queued requests not yet started are skipped; worker_ then finishes the one under way
}

void SourceScanner::scan(const QStringList& folders) {
  const unsigned generation = ++latest_;
  scanning_ = true;
  Q_EMIT started();
  worker_.post([this, generation, folders] {
    if (generation != latest_) return; // superseded before it started
    auto result = scanFolders(folders);
    // `this` outlives the worker thread (the destructor waits for it); the call is dropped if `this` is
    // destroyed before it runs.
    toGui_->post([this, generation, result = std::move(result)] { deliver(generation, result); });
  });
}

void SourceScanner::deliver(unsigned generation, const std::vector<ScannedFolder>& folders) {
  if (generation != latest_) return; // a newer scan is on its way
  scanning_ = false;
  Q_EMIT finished(folders);
}

} // namespace mg::ui
