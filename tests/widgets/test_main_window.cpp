// The main window as a user first sees it: title, panels, menus, and the screenshot facility.
#include <QDockWidget>
#include <QImage>
#include <QMenuBar>
#include <QtTest>

#include "mainwindow/main_window.h"
#include "support/temp_dir.h"

class MainWindowTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void opensWithPanelsAndMenus() {
    mg::ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.windowTitle(), QStringLiteral("Merganser"));
    QVERIFY(w.findChild<QDockWidget*>(QStringLiteral("libraryDock")));
    QVERIFY(w.findChild<QDockWidget*>(QStringLiteral("logDock")));
    QVERIFY(w.menuBar()->actions().size() >= 2);
  }
  void screenshotWritesAPng() {
    mg::ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    mg::test::TempDir dir;
    const QString file = QString::fromStdString(dir.file("shot.png"));
    QVERIFY(w.saveScreenshot(file));
    QImage image(file);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800);
  }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
