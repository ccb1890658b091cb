#include "prefs/preferences.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include <algorithm>

namespace mg::ui {

namespace {

const QString kRecentFiles = QStringLiteral("project/recentFiles");
const QString kLibraryFolders = QStringLiteral("library/folders");
const QString kTheme = QStringLiteral("interface/theme");
const QString kLanguage = QStringLiteral("interface/language");
const QString kCacheLimit = QStringLiteral("engine/cacheLimitMiB");
const QString kWindowGeometry = QStringLiteral("mainWindow/geometry");
const QString kWindowState = QStringLiteral("mainWindow/state");

// One spelling per file, so "a/../b.mgproj" and "b.mgproj" are the same recent entry.
QString normalizedPath(const QString& file) {
  return QDir::cleanPath(QFileInfo(file).absoluteFilePath());
}

} // namespace

Preferences::Preferences(QSettings* settings, QObject* parent)
    : QObject(parent), owned_(settings ? nullptr : std::make_unique<QSettings>()),
      settings_(settings ? settings : owned_.get()) {}

Preferences::~Preferences() = default;

QStringList Preferences::recentFiles() const {
  const QStringList stored = settings_->value(kRecentFiles).toStringList();
  QStringList existing;
  for (const QString& file : stored)
    if (QFileInfo::exists(file) && !existing.contains(file)) existing.append(file);
  if (existing != stored) writeRecentFiles(existing); // forget them, so the menu and the file agree
  return existing;
}

void Preferences::addRecentFile(const QString& file) {
  const QString path = normalizedPath(file);
  QStringList files = settings_->value(kRecentFiles).toStringList();
  files.removeAll(path);
  files.prepend(path);
  while (files.size() > kMaxRecentFiles)
    files.removeLast();
  writeRecentFiles(files);
  Q_EMIT recentFilesChanged();
}

void Preferences::removeRecentFile(const QString& file) {
  QStringList files = settings_->value(kRecentFiles).toStringList();
  if (files.removeAll(normalizedPath(file)) == 0) return;
  writeRecentFiles(files);
  Q_EMIT recentFilesChanged();
}

void Preferences::clearRecentFiles() {
  writeRecentFiles({});
  Q_EMIT recentFilesChanged();
}

void Preferences::writeRecentFiles(const QStringList& files) const {
  settings_->setValue(kRecentFiles, files);
}

QStringList Preferences::libraryFolders() const {
  return settings_->value(kLibraryFolders).toStringList();
}

void Preferences::setLibraryFolders(const QStringList& folders) {
  if (folders == libraryFolders()) return;
  settings_->setValue(kLibraryFolders, folders);
  Q_EMIT libraryFoldersChanged();
}

qint64 Preferences::cacheLimitMiB() const {
  bool ok = false;
  const qint64 mib = settings_->value(kCacheLimit).toLongLong(&ok);
  return ok && mib >= 0 ? mib : kDefaultCacheLimitMiB;
}

void Preferences::setCacheLimitMiB(qint64 mib) {
  mib = std::max<qint64>(mib, 0);
  if (settings_->contains(kCacheLimit) && mib == cacheLimitMiB()) return;
  settings_->setValue(kCacheLimit, mib);
  Q_EMIT cacheLimitChanged(mib);
}

Theme Preferences::theme() const {
  return themeFromName(settings_->value(kTheme).toString()).value_or(Theme::System);
}

void Preferences::setTheme(Theme theme) {
  if (settings_->contains(kTheme) && theme == this->theme()) return;
  settings_->setValue(kTheme, themeName(theme));
  Q_EMIT themeChanged(theme);
}

QString Preferences::language() const {
  return settings_->value(kLanguage).toString();
}

void Preferences::setLanguage(const QString& code) {
  settings_->setValue(kLanguage, code);
}

QByteArray Preferences::windowGeometry() const {
  return settings_->value(kWindowGeometry).toByteArray();
}

void Preferences::setWindowGeometry(const QByteArray& geometry) {
  settings_->setValue(kWindowGeometry, geometry);
}

QByteArray Preferences::windowState() const {
  return settings_->value(kWindowState).toByteArray();
}

void Preferences::setWindowState(const QByteArray& state) {
  settings_->setValue(kWindowState, state);
}

} // namespace mg::ui
