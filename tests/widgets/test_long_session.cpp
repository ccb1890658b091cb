// A long session does not grow: the quick demo project run 100 times in one main window, as a user would
// from the Run menu, each run after an edit (a merge's lambda toggled, so the charts, the results file and
// the badges change every time while the engine serves both variants from its cache after the first two).
// Resident memory after the last run may exceed that after the first by no more than 50 MB.
#include "support/test_registry.h"
#include <QSettings>
#include <QSignalSpy>
#include <QtTest>

#include <filesystem>

#include "demo/demo_zoo.h"
#include "io/idx_file.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_controller.h"
#include "prefs/preferences.h"
#include "session/project_session.h"
#include "support/memory.h"
#include "support/sanitizer_build.h"
#include "support/temp_dir.h"
#include "support/test_time.h"

using namespace mg;

namespace {

constexpr int kRuns = 100;
constexpr std::uint64_t kAllowedGrowth = 50u << 20;

bool runAndWait(ui::MainWindow& w) {
  QSignalSpy finished(w.runController(), &ui::RunController::runFinished);
  auto* runAll = w.findChild<QAction*>(QStringLiteral("runAllAction"));
  if (!runAll) return false;
  runAll->trigger();
  return finished.wait(test::scaledMs(300000));
}

} // namespace

class LongSessionTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aHundredRunsKeepMemoryFlat() {
    if (!std::filesystem::exists(std::string(io::kFashionMnistFolder)))
      QSKIP("dataset-fashion-mnist is not installed (packaging/install-deps.sh installs it)");
    test::TempDir dir;
    demo::DemoOptions options;
    options.outFolder = dir.file("zoo");
    options.quick = true;
    const demo::DemoReport zoo = demo::buildDemoZoo(options);

    QSettings settings(QString::fromStdString(dir.file("settings.ini")), QSettings::IniFormat);
    ui::Preferences preferences(&settings);
    ui::MainWindow w(&preferences, QString::fromStdString(dir.file("recovery")));
    w.show();
    QCOMPARE(w.openProject(QString::fromStdString(zoo.projectPath)), QString());
    graph::NodeId merge = 0;
    for (const auto& [id, node] : w.session()->document().nodes())
      if (!merge && node.params.count("lambda")) merge = id;
    QVERIFY2(merge, "the demo project has no merge with a lambda");

    QVERIFY(runAndWait(w));
    const std::uint64_t afterFirst = test::currentRssBytes();
    QElapsedTimer timer;
    timer.start();
    for (int run = 2; run <= kRuns; ++run) {
      QCOMPARE(w.session()->setParam(merge, "lambda", run % 2 ? 0.5 : 0.8), QString());
      QVERIFY2(runAndWait(w), qPrintable(QStringLiteral("run %1 did not finish").arg(run)));
    }
    const std::uint64_t afterLast = test::currentRssBytes();
    const double growthMb = (double(afterLast) - double(afterFirst)) / (1 << 20);
    qInfo("%d runs in %.1f s; RSS %.1f MB after the first, %.1f MB after the last (%+.1f MB)", kRuns,
          timer.elapsed() / 1000.0, afterFirst / 1048576.0, afterLast / 1048576.0, growthMb);
    if (mg::test::kSanitizerBuild)
      return; // ASan's quarantine and TSan's access history grow RSS; LSan checks leaks
    QVERIFY2(afterLast < afterFirst + kAllowedGrowth,
             qPrintable(QStringLiteral("RSS grew by %1 MB over %2 runs").arg(growthMb).arg(kRuns)));
  }
};

MG_TEST_MAIN(LongSessionTest)
#include "test_long_session.moc"
