#pragma once
// Scans library folders for models, adapters and task data (io::findSources) on a worker thread: a scan
// reads directories and HDF5 headers, which may take seconds on a network drive, and the GUI thread never
// does file I/O. Results come back as a queued call on the scanner's thread. A newer scan supersedes an
// older one: only the latest request's results are delivered.
#include <QObject>
#include <QStringList>

#include <atomic>
#include <vector>

#include "bridge/mailbox.h"
#include "io/git_history.h"
#include "io/source_classifier.h"
#include "util/serial_worker.h"

namespace mg::ui {

struct ScannedSource {
  io::FoundSource found;
  bool isFolder = false; // a model or adapter folder rather than a file: looked up here, off the GUI thread
  std::vector<io::FileRevision> history; // the commits that changed it, newest first, when it is under git
};

struct ScannedFolder {
  QString folder;
  bool exists = true;
  std::vector<ScannedSource> sources; // sorted by path
};

class SourceScanner : public QObject {
  Q_OBJECT
public:
  explicit SourceScanner(QObject* parent = nullptr);
  ~SourceScanner() override; // waits for a scan in progress to end

  // Starts scanning `folders` in the background and returns at once; finished() follows.
  void scan(const QStringList& folders);
  bool isScanning() const { return scanning_; }

Q_SIGNALS:
  void started();
  // One entry per requested folder, in the requested order.
  void finished(const std::vector<mg::ui::ScannedFolder>& folders);

private:
  void deliver(unsigned generation, const std::vector<ScannedFolder>& folders);

  Mailbox* toGui_;                  // results back to this object's thread
  std::atomic<unsigned> latest_{0}; // the newest request; older ones are skipped or dropped
  bool scanning_ = false;
  util::SerialWorker worker_{"library scan"}; // last: destroyed first, while what its jobs use exists
};

} // namespace mg::ui
