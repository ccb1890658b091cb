#pragma once
// Crash recovery: a copy of the open project is written to the recovery folder a moment after every undo
// step (atomically, so a crash mid-write leaves the previous copy), and removed when the project is saved
// or the window closes normally. A recovery copy found at start-up means the last session ended without
// closing: the user is offered to restore it. The copy holds absolute paths and, beside it, the path of the
// project it belongs to.
#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

namespace mg::ui {

class ProjectSession;

struct Recovery {
  QString projectText;  // the autosaved project (absolute paths)
  QString file;         // where it is
  QString originalPath; // the project file it was a copy of; empty for a never-saved project
};

class Autosave : public QObject {
  Q_OBJECT
public:
  // `folder`: where recovery copies live (default: the app data folder's "recovery").
  explicit Autosave(ProjectSession* session, QString folder = {}, QObject* parent = nullptr);
  ~Autosave() override;

  static QString defaultFolder();
  QString recoveryFile() const;
  // The recovery copy left by a session that did not close, if any.
  std::optional<Recovery> pending() const;
  // Writes the copy now (normally done by a timer 1 s after an edit).
  void writeNow();
  // Removes the copy: after a save, or when the window closes cleanly.
  void discard();

private:
  ProjectSession* session_;
  QString folder_;
  QTimer timer_;
};

} // namespace mg::ui
