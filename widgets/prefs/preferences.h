#pragma once
// Typed preferences over QSettings (as Tiled does it): every setting has one getter and one setter here, so
// keys and defaults live in one place. Signals tell open windows when a setting they show changes.
#include <QByteArray>
#include <QObject>
#include <QStringList>

#include <memory>

#include "theme/theme.h"

class QSettings;

namespace mg::ui {

class Preferences : public QObject {
  Q_OBJECT
public:
  static constexpr int kMaxRecentFiles = 10;

  // Uses `settings` when given (tests pass a temporary INI file; not owned), else the application's
  // QSettings (organization and application name).
  explicit Preferences(QSettings* settings = nullptr, QObject* parent = nullptr);
  ~Preferences() override;

  // Project files, most recent first; files that no longer exist are left out (and forgotten).
  QStringList recentFiles() const;
  // Puts `file` first (once, compared as absolute clean paths), keeping at most kMaxRecentFiles.
  void addRecentFile(const QString& file);
  void removeRecentFile(const QString& file);
  void clearRecentFiles();

  // Folders the library panel scans, in the order added.
  QStringList libraryFolders() const;
  void setLibraryFolders(const QStringList& folders);

  // Scratch space on disk the engine's cache may keep, in MiB (engine/node_cache.h): beyond it the least
  // recently used cached files are deleted. kDefaultCacheLimitMiB when unset or unreadable; at least 0.
  static constexpr qint64 kDefaultCacheLimitMiB = 2048;
  qint64 cacheLimitMiB() const;
  void setCacheLimitMiB(qint64 mib);

  Theme theme() const; // System when unset or unreadable
  void setTheme(Theme theme);

  // The language code of the user's choice ("de"), or "" for the system's (the default); read at start-up
  // (i18n/language.h resolveLanguage), so a change applies from the next start.
  QString language() const;
  void setLanguage(const QString& code);

  // QMainWindow::saveGeometry() / saveState() of the last session.
  QByteArray windowGeometry() const;
  void setWindowGeometry(const QByteArray& geometry);
  QByteArray windowState() const;
  void setWindowState(const QByteArray& state);

  QSettings& settings() const { return *settings_; }

Q_SIGNALS:
  void recentFilesChanged();
  void libraryFoldersChanged();
  void themeChanged(mg::ui::Theme theme);
  void cacheLimitChanged(qint64 mib);

private:
  void writeRecentFiles(const QStringList& files) const;

  std::unique_ptr<QSettings> owned_;
  QSettings* settings_;
};

} // namespace mg::ui
