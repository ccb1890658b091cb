// The Results dock in the main window: a run of a real project (three models evaluated on two tasks and
// compared, and a λ sweep of a merge) fills the Compare and Sweep charts, saves the scores beside the project
// so reopening shows them without running (matrices, embedding maps and scatters too), a node deleted while
// the run is under way keeps its scores, a click on a bar selects the model's node on the canvas, and a bad
// results file costs a log line, not the window.
#include "support/test_registry.h"
#include <QBarSeries>
#include <QBarSet>
#include <QDockWidget>
#include <QToolButton>
#include <QGraphicsView>
#include <QLineSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <functional>

#include <spdlog/sinks/ringbuffer_sink.h>

#include "charts/compare_view.h"
#include "charts/embedding_map_view.h"
#include "charts/map_chart_view.h"
#include "charts/matrix_list_view.h"
#include "charts/results_panel.h"
#include "charts/scatter_plot_view.h"
#include "charts/sweep_view.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/node_item.h"
#include "embed/embedding_map.h"
#include "results/results_file.h"
#include "graph/project_file.h"
#include "mainwindow/main_window.h"
#include "mainwindow/results_keeper.h"
#include "mainwindow/run_controller.h"
#include "prefs/preferences.h"
#include "session/project_session.h"
#include "support/sweep_fixture.h"
#include "support/test_time.h"
#include "util/log.h"

using namespace mg;

namespace {

// The sweep fixture's project plus an Evaluate node for the base and for specialist A, and a Compare node
// lining up base, A and the merge.
struct Project {
  test::SweepProject p;
  graph::NodeId evalBase = 0, evalA = 0, compare = 0;
  QString path;

  Project() {
    namespace nt = graph::node_types;
    auto& doc = p.doc;
    test::SweepProject::must(doc.setParam(p.sweep, "steps", 3));
    evalBase = doc.addNode(nt::kEvaluate);
    evalA = doc.addNode(nt::kEvaluate);
    compare = doc.addNode(nt::kCompare);
    test::SweepProject::must(doc.connect({p.base, 0}, {evalBase, 0}));
    test::SweepProject::must(doc.connect({p.tasks, 0}, {evalBase, 1}));
    test::SweepProject::must(doc.connect({p.a, 0}, {evalA, 0}));
    test::SweepProject::must(doc.connect({p.tasks, 0}, {evalA, 1}));
    test::SweepProject::must(doc.connect({evalBase, 0}, {compare, 0}));
    test::SweepProject::must(doc.connect({evalA, 0}, {compare, 1}));
    test::SweepProject::must(doc.connect({p.evaluate, 0}, {compare, 2}));
    path = QString::fromStdString(p.dir.file("project.mgproj"));
    graph::saveProject(doc, path.toStdString());
  }

  // The titles of the models compared: base, specialist A, the merge.
  QStringList titles() const {
    QStringList out;
    for (const auto id : {p.base, p.a, p.merge})
      out << QString::fromStdString(p.doc.at(id).title);
    return out;
  }
};

struct Window {
  test::TempDir dir;
  QSettings settings{QString::fromStdString(dir.file("settings.ini")), QSettings::IniFormat};
  ui::Preferences preferences{&settings};
  ui::MainWindow w{&preferences, QString::fromStdString(dir.file("recovery"))};
};

// Opens the project and waits until its saved results (read off the GUI thread) are shown.
void openAndWait(ui::MainWindow& w, const QString& path) {
  QSignalSpy loaded(w.resultsKeeper(), &ui::ResultsKeeper::loaded);
  QCOMPARE(w.openProject(path), QString());
  QVERIFY(loaded.wait(test::scaledMs(30000)));
}

// Runs every sink and waits until the results are saved beside the project (written off the GUI thread);
// `whileRunning` edits the project after the engine took its copy, before the run can have finished.
void runAndWait(ui::MainWindow& w, const std::function<void()>& whileRunning = {}) {
  QSignalSpy finished(w.runController(), &ui::RunController::runFinished);
  QSignalSpy saved(w.resultsKeeper(), &ui::ResultsKeeper::runSaved);
  w.runController()->runAll();
  if (whileRunning) whileRunning();
  QVERIFY(finished.wait(test::scaledMs(120000)));
  QVERIFY(saved.count() > 0 || saved.wait(test::scaledMs(30000)));
  QCOMPARE(saved.first().first().toString(), QString());
}

QStringList barLabels(ui::CompareView* view) {
  QStringList out;
  for (auto* set : view->series()->barSets())
    out << set->label();
  return out;
}

} // namespace

class ResultsChartsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aRunFillsTheChartsAndSavesTheScores() {
    Project project;
    Window window;
    auto& w = window.w;
    w.show();
    auto* dock = w.findChild<QDockWidget*>(QStringLiteral("resultsDock"));
    QVERIFY(dock);
    openAndWait(w, project.path);
    QVERIFY(!w.results()->hasResults()); // never evaluated: nothing saved, nothing said

    runAndWait(w);
    QVERIFY(dock->isVisible());
    // The Compare node's lineup, in its order, named after the models' nodes.
    auto* compare = w.results()->compareView();
    QCOMPARE(w.results()->tabs()->currentWidget(), static_cast<QWidget*>(compare));
    const QStringList titles = project.titles();
    QCOMPARE(barLabels(compare), titles);
    QCOMPARE(compare->table().tasks, (std::vector<std::string>{"alpha", "beta"}));
    // Specialist A is labelled by its teacher's task data: A predicts "alpha" perfectly.
    QCOMPARE(compare->series()->barSets()[1]->at(0), 100.0);
    // The sweep: lambda 0, 0.5, 1 with a line per task and the mean.
    auto* sweep = w.results()->sweepView();
    QCOMPARE(sweep->sweeps().size(), std::size_t(1));
    QCOMPARE(sweep->sweeps().front().x, (std::vector<double>{0.0, 0.5, 1.0}));
    QCOMPARE(sweep->lineSeries().size(), 3);

    // Saved beside the project: the Evaluate nodes' and the sweep's scores (not Compare's repeats).
    const std::string saved = results::resultsFileFor(project.path.toStdString());
    QVERIFY(std::filesystem::exists(saved));
    const auto entries = results::readResultsFile(saved).scores;
    QCOMPARE(entries.size(), std::size_t(3 + 3));

    // Clicking the bar of specialist A selects its source node and brings it into view.
    Q_EMIT compare->series()->clicked(0, compare->series()->barSets()[1]);
    QCOMPARE(w.scene()->selectedNodes(), std::vector<graph::NodeId>{project.p.a});
    const QPointF centre = w.view()->mapToScene(w.view()->viewport()->rect().center());
    QVERIFY(
        w.scene()->nodeItem(project.p.a)->sceneBoundingRect().adjusted(-60, -60, 60, 60).contains(centre));

    // Selecting a node on the canvas outlines its bars.
    w.scene()->selectNodes({project.p.base});
    QVERIFY(compare->series()->barSets()[0]->pen().widthF() > 1.0);
    QVERIFY(compare->series()->barSets()[1]->pen().widthF() < 1.0);
  }

  // An Evaluate node deleted while the engine runs: the run's copy still has it, so its scores are saved
  // (and shown in the Compare lineup) as the other nodes' are.
  void aNodeDeletedDuringARunKeepsItsScores() {
    Project project;
    Window window;
    auto& w = window.w;
    openAndWait(w, project.path);
    runAndWait(w, [&] { QCOMPARE(w.session()->removeNodes({project.evalBase}), QString()); });
    QVERIFY(!w.session()->document().contains(project.evalBase));
    const auto entries = results::readResultsFile(results::resultsFileFor(project.path.toStdString())).scores;
    QCOMPARE(entries.size(), std::size_t(3 + 3));
    QVERIFY(std::any_of(entries.begin(), entries.end(), [&](const eval::ModelScores& entry) {
      return entry.evaluateNode == project.evalBase && entry.modelNode == project.p.base;
    }));
    QCOMPARE(barLabels(w.results()->compareView()), project.titles());
  }

  void reopeningShowsTheSavedScores() {
    Project project;
    {
      Window first;
      openAndWait(first.w, project.path);
      runAndWait(first.w);
    }
    Window window;
    openAndWait(window.w, project.path);
    auto* results = window.w.results();
    QVERIFY(results->hasResults());
    // Saved: the three Evaluate nodes' models (compare shows them all) and the sweep's points.
    QStringList labels = barLabels(results->compareView()), titles = project.titles();
    labels.sort();
    titles.sort();
    QCOMPARE(labels, titles);
    QCOMPARE(results->sweepView()->sweeps().size(), std::size_t(1));
    QCOMPARE(results->sweepView()->sweeps().front().x.size(), std::size_t(3));

    // A new project starts with an empty dock.
    window.w.session()->newProject();
    QVERIFY(!results->hasResults());
  }

  // Matrices, embedding maps and scatters saved beside a project (results/results_file.h) fill their tabs on
  // reopening, without running.
  void reopeningShowsSavedMatricesMapsAndScatters() {
    Project project;
    results::RunResults run;
    engine::MatrixValue routing;
    routing.kind = "routing";
    routing.title = "Routing of Router";
    routing.rows = {"rotate", "flip"};
    routing.columns = {"rotate", "flip"};
    routing.rowNodes = {project.p.tasks, project.p.tasks};
    routing.values = {{0.75, 0.25}, {0.5, 0.5}};
    run.matrices = {routing};
    engine::EmbeddingsValue map;
    map.map = std::make_shared<const embed::EmbeddingMap>(embed::makeEmbeddingMap(
        embed::EmbeddingKind::Parameter, {"A", "B", "C"}, {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 0, 1}}));
    map.nodes = {project.p.a, project.p.b, 0};
    map.source = "Embedding map";
    run.embeddings = {map};
    engine::ScatterValue scatter;
    scatter.kind = "merge_gain";
    scatter.title = "Merge gain";
    scatter.points = {{"A × B", 0.5, -2, {project.p.a, project.p.b}}};
    run.scatters = {scatter};
    results::writeResultsFile(results::resultsFileFor(project.path.toStdString()), run);

    Window window;
    openAndWait(window.w, project.path);
    auto* results = window.w.results();
    QVERIFY(results->routingView()->hasMatrices());
    QVERIFY(!results->interferenceView()->hasMatrices());
    QVERIFY(results->mapView()->hasMaps());
    QVERIFY(results->mergeGainView()->hasScatters());
    QVERIFY(results->tabs()->isTabEnabled(results->tabs()->indexOf(results->routingView())));
    QVERIFY(results->tabs()->isTabEnabled(results->tabs()->indexOf(results->mapView())));
    QVERIFY(results->tabs()->isTabEnabled(results->tabs()->indexOf(results->mergeGainView())));

    // Picking A and B on the map and pressing Merge picked adds a task arithmetic merge of them to the
    // project, on the base they are merged on elsewhere, selected on the canvas.
    const auto& doc = window.w.session()->document();
    const auto before = doc.nodeIds();
    results->mapView()->chartView()->setSelection({0, 1});
    results->mapView()->mergeButton()->click();
    const auto after = doc.nodeIds();
    QCOMPARE(after.size(), before.size() + 1);
    const auto merge = after.back();
    QCOMPARE(doc.at(merge).type, std::string("merge.task_arithmetic"));
    QCOMPARE(doc.source({merge, 0}), std::optional<graph::PortRef>(graph::PortRef{project.p.base, 0}));
    QCOMPARE(doc.source({merge, 1}), std::optional<graph::PortRef>(graph::PortRef{project.p.a, 0}));
    QCOMPARE(doc.source({merge, 2}), std::optional<graph::PortRef>(graph::PortRef{project.p.b, 0}));
    QVERIFY(window.w.scene()->nodeItem(merge)->isSelected());
  }

  void aBadScoreFileIsOneLogLine() {
    Project project;
    test::writeBytes(results::resultsFileFor(project.path.toStdString()), "not HDF5 at all");
    auto lines = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8);
    log::addSink(lines);
    Window window;
    openAndWait(window.w, project.path); // the project opens all the same
    QVERIFY(!window.w.results()->hasResults());
    bool warned = false;
    for (const auto& line : lines->last_formatted())
      warned = warned ||
               (line.find("warning") != std::string::npos &&
                line.find("project.scores.h5") != std::string::npos && line.find('\n') == line.size() - 1);
    QVERIFY(warned);
  }
};

MG_TEST_MAIN(ResultsChartsTest)
#include "test_results_charts.moc"
