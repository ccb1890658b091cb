// The log panel: messages logged from worker threads appear (queued to the GUI thread), coloured by level,
// filtered by level, cleared, and capped.
#include "support/test_registry.h"
#include <QComboBox>
#include <QListView>
#include <QPushButton>
#include <QtTest>

#include <thread>

#include "panels/log_panel.h"
#include "theme/theme.h"
#include "util/log.h"

using namespace mg::ui;

class LogPanelTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void showsAMessageFromAnotherThread() {
    LogPanel panel;
    std::thread worker([] { mg::log::get("engine")->warn("tensor {} cropped", "embed"); });
    worker.join();
    QCOMPARE(panel.visibleLineCount(), 0); // delivered through the GUI thread's event loop
    QTRY_COMPARE(panel.visibleLineCount(), 1);
    const QString line = panel.visibleLineText(0);
    QVERIFY2(line.contains(QStringLiteral("[engine] tensor embed cropped")), qPrintable(line));
    QVERIFY(line.contains(QStringLiteral("warning")));
    auto* view = panel.findChild<QListView*>(QStringLiteral("logView"));
    const QColor colour = view->model()->index(0, 0).data(Qt::ForegroundRole).value<QColor>();
    QCOMPARE(colour, warningColor(QApplication::palette()));
  }

  void manyThreadsLoseNothing() {
    LogPanel panel;
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t)
      workers.emplace_back([t] {
        for (int i = 0; i < 50; ++i)
          mg::log::get("engine")->info("worker {} step {}", t, i);
      });
    for (auto& w : workers)
      w.join();
    QTRY_COMPARE(panel.visibleLineCount(), 200);
  }

  void filtersByLevelAndClears() {
    LogPanel panel;
    mg::log::get("io")->debug("opened header");
    mg::log::get("io")->info("read 3 tensors");
    mg::log::get("io")->error("cannot open x.safetensors");
    QTRY_COMPARE(panel.visibleLineCount(), 2); // debug hidden by default
    auto* level = panel.findChild<QComboBox*>(QStringLiteral("logLevelFilter"));
    level->setCurrentIndex(0); // debug and above
    QCOMPARE(panel.visibleLineCount(), 3);
    level->setCurrentIndex(level->count() - 1); // errors only
    QCOMPARE(panel.visibleLineCount(), 1);
    QVERIFY(panel.visibleLineText(0).contains(QStringLiteral("cannot open")));
    panel.findChild<QPushButton*>(QStringLiteral("clearLogButton"))->click();
    QCOMPARE(panel.visibleLineCount(), 0);
  }

  void keepsOnlyTheNewestLines() {
    LogPanel panel(nullptr, 10);
    for (int i = 0; i < 25; ++i)
      mg::log::get("ui")->info("line {}", i);
    QTRY_COMPARE(panel.visibleLineText(9).endsWith(QStringLiteral("line 24")), true);
    QCOMPARE(panel.visibleLineCount(), 10);
    QVERIFY(panel.visibleLineText(0).endsWith(QStringLiteral("line 15")));
  }

  void aDestroyedPanelIsNotCalled() {
    { LogPanel panel; }
    std::thread worker([] { mg::log::get("engine")->info("after the panel"); });
    worker.join();
    QCoreApplication::processEvents(); // a delivery posted to the destroyed panel would run here
    LogPanel later;
    QCOMPARE(later.visibleLineCount(), 0);
  }
};

MG_TEST_MAIN(LogPanelTest)
#include "test_log_panel.moc"
