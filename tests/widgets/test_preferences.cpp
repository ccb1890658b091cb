// Preferences over a temporary INI file: recent files (order, duplicates, cap, missing files), library
// folders, theme, window state and the cache size limit, and that a second Preferences on the same file reads
// them back; the cache size limit reaches the engine of an open window without a restart.
#include "support/test_registry.h"
#include <QDoubleSpinBox>
#include <QSettings>
#include <QSignalSpy>
#include <QtTest>

#include "bridge/engine_bridge.h"
#include "mainwindow/main_window.h"
#include "prefs/preferences.h"
#include "prefs/preferences_dialog.h"
#include "support/temp_dir.h"

using namespace mg::ui;

namespace {

QString touch(const mg::test::TempDir& dir, const QString& name) {
  const std::string path = dir.file(name.toStdString());
  mg::test::writeBytes(path, "{}");
  return QString::fromStdString(path);
}

} // namespace

class PreferencesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void recentFilesAreMostRecentFirstWithoutDuplicates() {
    mg::test::TempDir dir;
    QSettings settings(QString::fromStdString(dir.file("prefs.ini")), QSettings::IniFormat);
    Preferences prefs(&settings);
    QVERIFY(prefs.recentFiles().isEmpty());
    QSignalSpy changed(&prefs, &Preferences::recentFilesChanged);

    const QString a = touch(dir, QStringLiteral("a.mgproj"));
    const QString b = touch(dir, QStringLiteral("b.mgproj"));
    const QString c = touch(dir, QStringLiteral("c.mgproj"));
    prefs.addRecentFile(a);
    prefs.addRecentFile(b);
    prefs.addRecentFile(c);
    QCOMPARE(prefs.recentFiles(), (QStringList{c, b, a}));
    QCOMPARE(changed.count(), 3);

    // Opening a again moves it to the front, also when spelled differently.
    QDir().mkpath(QString::fromStdString(dir.file("sub")));
    prefs.addRecentFile(QString::fromStdString(dir.file("sub/../a.mgproj")));
    QCOMPARE(prefs.recentFiles(), (QStringList{a, c, b}));

    prefs.removeRecentFile(c);
    QCOMPARE(prefs.recentFiles(), (QStringList{a, b}));
  }

  void recentFilesKeepTheNewestTen() {
    mg::test::TempDir dir;
    QSettings settings(QString::fromStdString(dir.file("prefs.ini")), QSettings::IniFormat);
    Preferences prefs(&settings);
    QStringList added;
    for (int i = 0; i < 13; ++i) {
      added.prepend(touch(dir, QStringLiteral("p%1.mgproj").arg(i)));
      prefs.addRecentFile(added.front());
    }
    QCOMPARE(prefs.recentFiles().size(), Preferences::kMaxRecentFiles);
    QCOMPARE(prefs.recentFiles(), added.mid(0, Preferences::kMaxRecentFiles));
  }

  void missingRecentFilesAreDropped() {
    mg::test::TempDir dir;
    QSettings settings(QString::fromStdString(dir.file("prefs.ini")), QSettings::IniFormat);
    Preferences prefs(&settings);
    const QString kept = touch(dir, QStringLiteral("kept.mgproj"));
    const QString gone = touch(dir, QStringLiteral("gone.mgproj"));
    prefs.addRecentFile(kept);
    prefs.addRecentFile(gone);
    QVERIFY(QFile::remove(gone));
    QCOMPARE(prefs.recentFiles(), QStringList{kept});
    QCOMPARE(settings.value(QStringLiteral("project/recentFiles")).toStringList(), QStringList{kept});
    prefs.clearRecentFiles();
    QVERIFY(prefs.recentFiles().isEmpty());
  }

  void settingsSurviveARestart() {
    mg::test::TempDir dir;
    const QString file = QString::fromStdString(dir.file("prefs.ini"));
    const QString project = touch(dir, QStringLiteral("x.mgproj"));
    const QByteArray geometry("\x01\x02geometry\x00", 11);
    {
      QSettings settings(file, QSettings::IniFormat);
      Preferences prefs(&settings);
      QCOMPARE(prefs.theme(), Theme::System); // unset
      QSignalSpy themeChanged(&prefs, &Preferences::themeChanged);
      prefs.setTheme(Theme::Dark);
      QCOMPARE(themeChanged.count(), 1);
      prefs.setLibraryFolders({QStringLiteral("/models"), QStringLiteral("/adapters")});
      prefs.setWindowGeometry(geometry);
      prefs.setWindowState(QByteArray("state"));
      prefs.addRecentFile(project);
    }
    QSettings settings(file, QSettings::IniFormat);
    Preferences prefs(&settings);
    QCOMPARE(prefs.theme(), Theme::Dark);
    QCOMPARE(prefs.libraryFolders(), (QStringList{QStringLiteral("/models"), QStringLiteral("/adapters")}));
    QCOMPARE(prefs.windowGeometry(), geometry);
    QCOMPARE(prefs.windowState(), QByteArray("state"));
    QCOMPARE(prefs.recentFiles(), QStringList{project});
  }

  void cacheLimitRoundTripsWithA2GBDefault() {
    mg::test::TempDir dir;
    const QString file = QString::fromStdString(dir.file("prefs.ini"));
    {
      QSettings settings(file, QSettings::IniFormat);
      Preferences prefs(&settings);
      QCOMPARE(prefs.cacheLimitMiB(), qint64(2048));
      QSignalSpy changed(&prefs, &Preferences::cacheLimitChanged);
      prefs.setCacheLimitMiB(512);
      prefs.setCacheLimitMiB(512);
      QCOMPARE(changed.count(), 1);
      QCOMPARE(changed.first().first().toLongLong(), qint64(512));
    }
    QSettings settings(file, QSettings::IniFormat);
    Preferences prefs(&settings);
    QCOMPARE(prefs.cacheLimitMiB(), qint64(512));
    settings.setValue(QStringLiteral("engine/cacheLimitMiB"), QStringLiteral("lots"));
    QCOMPARE(prefs.cacheLimitMiB(), Preferences::kDefaultCacheLimitMiB);
  }

  void cacheLimitReachesTheEngineWithoutARestart() {
    mg::test::TempDir dir;
    QSettings settings(QString::fromStdString(dir.file("prefs.ini")), QSettings::IniFormat);
    Preferences prefs(&settings);
    prefs.setCacheLimitMiB(300);
    MainWindow window(&prefs, QString::fromStdString(dir.file("recovery")));
    auto* engine = window.findChild<EngineBridge*>();
    QVERIFY(engine);
    QCOMPARE(engine->cacheLimit(), quint64(300) << 20);
    prefs.setCacheLimitMiB(100);
    QCOMPARE(engine->cacheLimit(), quint64(100) << 20);

    // The dialog shows it in GB and writes what the user enters when accepted.
    PreferencesDialog dialog(&prefs, &window);
    QCOMPARE(dialog.cacheLimitBox()->value(), 0.1);
    dialog.cacheLimitBox()->setValue(1.5);
    dialog.accept();
    QCOMPARE(prefs.cacheLimitMiB(), qint64(1536));
    QCOMPARE(engine->cacheLimit(), quint64(1536) << 20);
  }

  void unreadableThemeFallsBackToSystem() {
    mg::test::TempDir dir;
    QSettings settings(QString::fromStdString(dir.file("prefs.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("interface/theme"), QStringLiteral("purple"));
    Preferences prefs(&settings);
    QCOMPARE(prefs.theme(), Theme::System);
    prefs.setTheme(Theme::Light);
    QCOMPARE(prefs.theme(), Theme::Light);
  }
};

MG_TEST_MAIN(PreferencesTest)
#include "test_preferences.moc"
