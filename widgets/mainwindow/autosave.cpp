#include "mainwindow/autosave.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QUndoStack>

#include "graph/project_file.h"
#include "io/atomic_file.h"
#include "io/stale_temporaries.h"
#include "session/project_session.h"
#include "util/log.h"

namespace mg::ui {

namespace {

QString originFile(const QString& recovery) {
  return recovery + QStringLiteral(".origin");
}

void writeAtomically(const QString& path, const std::string& text) {
  io::writeFileAtomically(path.toStdString(), text);
}

} // namespace

Autosave::Autosave(ProjectSession* session, QString folder, QObject* parent)
    : QObject(parent), session_(session), folder_(folder.isEmpty() ? defaultFolder() : std::move(folder)) {
  timer_.setSingleShot(true);
  timer_.setInterval(1000);
  connect(&timer_, &QTimer::timeout, this, &Autosave::writeNow);
  // What an autosave killed mid-write (a crash, a power cut) left beside the recovery copy.
  io::removeStaleTemporaries(recoveryFile().toStdString());
  io::removeStaleTemporaries(originFile(recoveryFile()).toStdString());
  connect(session_->undoStack(), &QUndoStack::indexChanged, this, [this] { timer_.start(); });
  connect(session_, &ProjectSession::modifiedChanged, this, [this](bool modified) {
    if (!modified) discard(); // saved (or back to the saved state): nothing to recover
  });
}

Autosave::~Autosave() = default;

QString Autosave::defaultFolder() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recovery");
}

QString Autosave::recoveryFile() const {
  return folder_ + QStringLiteral("/autosave.mgproj");
}

std::optional<Recovery> Autosave::pending() const {
  QFile file(recoveryFile());
  if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
  Recovery recovery{QString::fromUtf8(file.readAll()), recoveryFile(), {}};
  QFile origin(originFile(recoveryFile()));
  if (origin.open(QIODevice::ReadOnly)) recovery.originalPath = QString::fromUtf8(origin.readAll()).trimmed();
  return recovery;
}

void Autosave::writeNow() {
  timer_.stop();
  if (!session_->isModified()) return;
  try {
    QDir().mkpath(folder_);
    writeAtomically(recoveryFile(), graph::projectText(session_->document(), ""));
    writeAtomically(originFile(recoveryFile()), session_->filePath().toStdString());
  } catch (const std::exception& e) {
    mg::log::get("ui")->warn("autosave: {}", e.what());
  }
}

void Autosave::discard() {
  timer_.stop();
  QFile::remove(recoveryFile());
  QFile::remove(originFile(recoveryFile()));
}

} // namespace mg::ui
