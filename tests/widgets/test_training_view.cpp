// Training a specialist in the workbench as a user does: a Fine-tune node wired to the base and the tasks,
// the project run, the Training tab coming forward with the loss and validation curve while it trains and
// keeping it after; the node's model output evaluated beside the base.
#include "support/test_registry.h"
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

#include "charts/results_panel.h"
#include "charts/training_view.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_controller.h"
#include "prefs/preferences.h"
#include "session/project_session.h"
#include "support/sweep_fixture.h"
#include "support/test_time.h"

using namespace mg;

class TrainingViewTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aFineTuneNodeShowsItsCurveLiveAndAfter() {
    test::SweepProject p;
    const auto tune = p.doc.addNode(graph::node_types::kFineTune, {900, 0});
    p.doc.setTitle(tune, "LoRA alpha");
    test::SweepProject::must(p.doc.connect({p.base, 0}, {tune, 0}));
    test::SweepProject::must(p.doc.connect({p.tasks, 0}, {tune, 1}));
    test::SweepProject::must(p.doc.setParam(tune, "tasks", "alpha"));
    test::SweepProject::must(p.doc.setParam(tune, "examples", std::int64_t(0)));
    test::SweepProject::must(p.doc.setParam(tune, "validation_examples", std::int64_t(20)));
    test::SweepProject::must(p.doc.setParam(tune, "example_unit", "per_task"));
    test::SweepProject::must(p.doc.setParam(tune, "steps", std::int64_t(50)));
    test::SweepProject::must(p.doc.setParam(tune, "learning_rate", 0.02));
    const std::string project = p.dir.file("train.mgproj");
    graph::saveProject(p.doc, project);

    QSettings settings(QString::fromStdString(p.dir.file("settings.ini")), QSettings::IniFormat);
    ui::Preferences preferences(&settings);
    ui::MainWindow w(&preferences, QString::fromStdString(p.dir.file("recovery")));
    w.show();
    QCOMPARE(w.openProject(QString::fromStdString(project)), QString());
    QSignalSpy live(w.runController(), &ui::RunController::partialResults);
    QSignalSpy finished(w.runController(), &ui::RunController::runFinished);
    w.runController()->runAll();
    QVERIFY(finished.wait(test::scaledMs(60000)));
    QVERIFY2(live.count() >= 5, qPrintable(QString::number(live.count()))); // a point every 10 steps

    auto* panel = w.findChild<ui::ResultsPanel*>();
    QVERIFY(panel);
    auto* view = panel->trainingView();
    QVERIFY(view->hasCurves());
    QVERIFY(panel->tabs()->isTabEnabled(panel->tabs()->indexOf(view)));
    panel->tabs()->setCurrentWidget(view);
    const auto series = view->chartView()->chart()->series();
    QCOMPARE(series.size(), 2); // loss and validation of the one node
    QCOMPARE(series[0]->name(), QStringLiteral("LoRA alpha loss"));
    QCOMPARE(static_cast<QLineSeries*>(series[0])->count(), 5);
    QVERIFY2(view->summary()->text().startsWith(QStringLiteral("LoRA alpha: best validation ")),
             qPrintable(view->summary()->text()));
    QVERIFY(!view->grab().isNull());
  }
};

MG_TEST_MAIN(TrainingViewTest)
#include "test_training_view.moc"
