// The Map tab as a user meets it: points coloured by cluster or skill, the kind and projection switched
// live, the hover text naming the nearest neighbours, a click selecting a node, a lasso picking points that
// then become a merge (by the button, or dragged onto the graph), the similarity matrix in clustering
// order; and the Merge gain plot beside it.
#include "support/test_registry.h"
#include <QApplication>
#include <QComboBox>
#include <QLineSeries>
#include <QMimeData>
#include <QMouseEvent>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <memory>

#include "charts/embedding_map_view.h"
#include "charts/heatmap_view.h"
#include "charts/map_chart_view.h"
#include "charts/map_points.h"
#include "charts/matrix_list_view.h"
#include "charts/results_panel.h"
#include "charts/scatter_plot_view.h"
#include "editor/graph_scene.h"
#include "editor/node_item.h"
#include "editor/node_list_mime.h"
#include "embed/embedding_map.h"
#include "graph/builtin_node_types.h"
#include "graph/shared_base.h"
#include "session/project_session.h"

using namespace mg;

namespace {

// Two specialists alike (rotate, rotate-2), two others alike (flip, flip-2): two clusters far apart.
engine::EmbeddingsValue specialistMap(embed::EmbeddingKind kind = embed::EmbeddingKind::Parameter) {
  std::vector<std::vector<float>> vectors = {
      {1.0f, 0.05f, 0.0f}, {0.95f, 0.0f, 0.1f}, {0.0f, 1.0f, 0.05f}, {0.1f, 0.95f, 0.0f}};
  auto map = embed::makeEmbeddingMap(
      kind, {"LoRA rotate", "LoRA rotate-2", "LoRA flip", "LoRA flip-2"}, vectors, {},
      kind == embed::EmbeddingKind::Fisher ? std::vector<float>{0.5f, 0.5f, 0.5f} : std::vector<float>{});
  map.skills = {{"rotate"}, {"rotate"}, {"flip"}, {"flip"}};
  engine::EmbeddingsValue value;
  value.map = std::make_shared<const embed::EmbeddingMap>(std::move(map));
  value.nodes = {11, 12, 13, 14};
  value.source = "Embedding map";
  return value;
}

void sendMouse(QWidget* target, QEvent::Type type, QPoint at, Qt::MouseButtons buttons,
               Qt::KeyboardModifiers modifiers = {}) {
  QMouseEvent event(type, QPointF(at), target->mapToGlobal(QPointF(at)),
                    type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons, modifiers);
  QApplication::sendEvent(target, &event);
}

// A lasso drawn as a rectangle around `box` on the chart's viewport.
void drawLasso(ui::MapChartView* chart, QRect box) {
  QWidget* viewport = chart->viewport();
  sendMouse(viewport, QEvent::MouseButtonPress, box.topLeft(), Qt::LeftButton);
  for (const QPoint corner : {box.topRight(), box.bottomRight(), box.bottomLeft(), box.topLeft()})
    sendMouse(viewport, QEvent::MouseMove, corner, Qt::LeftButton);
  sendMouse(viewport, QEvent::MouseButtonRelease, box.topLeft(), Qt::NoButton);
}

// A map view on screen (null when the window never showed).
std::unique_ptr<ui::EmbeddingMapView> shownMap(std::vector<engine::EmbeddingsValue> maps) {
  auto view = std::make_unique<ui::EmbeddingMapView>();
  view->resize(900, 420);
  view->setMaps(std::move(maps));
  view->show();
  if (!QTest::qWaitForWindowExposed(view.get())) return nullptr;
  return view;
}

QRect around(const ui::MapChartView* chart, std::initializer_list<int> points) {
  QRect box;
  for (const int p : points)
    box = box.united(QRect(chart->viewPosition(p), QSize(1, 1)));
  return box.adjusted(-16, -16, 16, 16);
}

} // namespace

class EmbeddingMapViewTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void groupsByClusterOrSkill() {
    const auto value = specialistMap();
    const auto clusters = ui::mapGroups(*value.map, ui::MapColouring::Cluster);
    QCOMPARE(clusters.names.size(), 2);
    QCOMPARE(clusters.groupOf[0], clusters.groupOf[1]);
    QVERIFY(clusters.groupOf[0] != clusters.groupOf[2]);
    const auto skills = ui::mapGroups(*value.map, ui::MapColouring::Skill);
    QCOMPARE(skills.names, (QStringList{"rotate", "flip"}));
    QCOMPARE(skills.groupOf, (std::vector<int>{0, 0, 1, 1}));
  }

  void hoverTextNamesTheNearestFirst() {
    const auto value = specialistMap();
    const QString text = ui::mapPointText(*value.map, 0, 2);
    QVERIFY2(text.startsWith("LoRA rotate — cluster"), qPrintable(text));
    const int nearest = int(text.indexOf("nearest: LoRA rotate-2"));
    QVERIFY2(nearest > 0, qPrintable(text));
    QCOMPARE(text.mid(nearest).count(", "), 1); // only the two nearest
  }

  void similarityFollowsTheClustering() {
    auto value = specialistMap();
    // Reorder the points so that the clusters interleave in point order: the matrix must regroup them.
    auto map = *value.map;
    const auto interleaved =
        embed::makeEmbeddingMap(map.kind, {map.names[0], map.names[2], map.names[1], map.names[3]},
                                {map.vectors[0], map.vectors[2], map.vectors[1], map.vectors[3]});
    value.map = std::make_shared<const embed::EmbeddingMap>(interleaved);
    value.nodes = {11, 13, 12, 14};
    const auto matrix = ui::similarityInClusterOrder(value);
    QCOMPARE(matrix.rows.size(), std::size_t(4));
    QCOMPARE(matrix.columns, matrix.rows);
    // Members of a cluster are next to each other: rows 0-1 share a name stem, rows 2-3 the other.
    QCOMPARE(matrix.rows[0].substr(0, 9), matrix.rows[1].substr(0, 9));
    QCOMPARE(matrix.rows[2].substr(0, 9), matrix.rows[3].substr(0, 9));
    for (std::size_t r = 0; r < 4; ++r) {
      QCOMPARE(matrix.values[r][r], 1.0);
      const auto point = std::find(interleaved.names.begin(), interleaved.names.end(), matrix.rows[r]) -
                         interleaved.names.begin();
      QCOMPARE(matrix.rowNodes[r], value.nodes[std::size_t(point)]); // the node travels with its row
    }
    QVERIFY(matrix.values[0][1] > 0.9);
    QVERIFY(matrix.values[0][2] < 0.2);
  }

  void switchesKindProjectionAndColourLive() {
    auto param = specialistMap();
    auto data = specialistMap(embed::EmbeddingKind::Data);
    auto tasks = std::make_shared<embed::EmbeddingMap>(*data.map);
    tasks->names = {"rotate", "flip", "original"};
    tasks->vectors.resize(3);
    *tasks = embed::makeEmbeddingMap(embed::EmbeddingKind::Data, tasks->names, tasks->vectors);
    data.map = tasks;
    data.nodes = {20, 20, 20};

    ui::EmbeddingMapView view;
    view.resize(900, 420);
    view.setMaps({param, data});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.kindPicker()->count(), 2);
    QCOMPARE(view.chartView()->pointCount(), 4);
    QCOMPARE(view.projectionPicker()->count(), 3); // pca, mds, tsne: all computed, no run needed

    const QPoint pcaPosition = view.chartView()->viewPosition(2);
    view.projectionPicker()->setCurrentIndex(view.projectionPicker()->findData("tsne"));
    QCOMPARE(view.currentProjection(), std::string("tsne"));
    QVERIFY(view.chartView()->viewPosition(2) != pcaPosition); // redrawn from the t-SNE coordinates

    view.colourPicker()->setCurrentIndex(1); // by skill
    QCOMPARE(view.chartView()->series().size(), 2);
    QCOMPARE(view.chartView()->series()[0]->name(), QString("rotate"));

    view.kindPicker()->setCurrentIndex(1); // data: the tasks
    QCOMPARE(view.chartView()->pointCount(), 3);
    if (qEnvironmentVariableIsSet("MERGANSER_SCREENSHOT_DIR")) // for a person to look at
      view.grab().save(QDir(qEnvironmentVariable("MERGANSER_SCREENSHOT_DIR")).filePath("map-data-tsne.png"));
    QCOMPARE(view.currentProjection(), std::string("tsne")); // the user's projection stays
    QCOMPARE(view.similarityView()->matrix().rows.size(), std::size_t(3));
  }

  void hoverAndClickTellAndSelect() {
    const auto shown = shownMap({specialistMap()});
    QVERIFY(shown);
    auto& view = *shown;
    auto* chart = view.chartView();
    QSignalSpy activated(&view, &ui::EmbeddingMapView::nodeActivated);
    sendMouse(chart->viewport(), QEvent::MouseMove, chart->viewPosition(2), Qt::NoButton);
    QVERIFY2(chart->lastHoverText().startsWith("LoRA flip"), qPrintable(chart->lastHoverText()));
    QVERIFY(chart->lastHoverText().contains("nearest: LoRA flip-2"));
    QCOMPARE(chart->pointAt(chart->viewPosition(2)), 2);

    QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, chart->viewPosition(2));
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.front().front().toULongLong(), 13ULL);
    QCOMPARE(chart->selection(), std::set<int>{2});
    // Ctrl+click adds; a click on empty space clears.
    QTest::mouseClick(chart->viewport(), Qt::LeftButton, Qt::ControlModifier, chart->viewPosition(3));
    QCOMPARE(chart->selection(), (std::set<int>{2, 3}));
    QVERIFY(view.mergeButton()->isEnabled());
    QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, QPoint(3, 3));
    QVERIFY(chart->selection().empty());
    QVERIFY(!view.mergeButton()->isEnabled());
    // Keys: Ctrl+A picks every point, Escape none.
    QTest::keyClick(chart, Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(chart->selection(), (std::set<int>{0, 1, 2, 3}));
    QTest::keyClick(chart, Qt::Key_Escape);
    QVERIFY(chart->selection().empty());
  }

  void lassoPicksAndMergeButtonAsksForAMerge() {
    const auto shown = shownMap({specialistMap()});
    QVERIFY(shown);
    auto& view = *shown;
    auto* chart = view.chartView();
    const QRect box = around(chart, {0, 1});
    for (const int other : {2, 3})
      QVERIFY2(!box.contains(chart->viewPosition(other)), "the test's clusters must lie apart on screen");
    drawLasso(chart, box);
    QCOMPARE(chart->selection(), (std::set<int>{0, 1}));
    QCOMPARE(view.mergeableSelection(), (std::vector<graph::NodeId>{11, 12}));

    QSignalSpy merge(&view, &ui::EmbeddingMapView::mergeRequested);
    QTest::mouseClick(view.mergeButton(), Qt::LeftButton, {}, QPoint(8, view.mergeButton()->height() / 2));
    QCOMPARE(merge.size(), 1);
    QCOMPARE(merge.front()[0].toString(), QString("merge.task_arithmetic"));
    QCOMPARE(merge.front()[1].value<std::vector<graph::NodeId>>(), (std::vector<graph::NodeId>{11, 12}));

    // The drag carries the same nodes in the canvas's format.
    std::unique_ptr<QMimeData> carried(chart->dragData());
    QCOMPARE(ui::decodeNodeList(carried.get()), (std::vector<graph::NodeId>{11, 12}));
  }

  void tasksCannotBeMerged() {
    auto fisher = specialistMap(embed::EmbeddingKind::Fisher);
    fisher.nodes = {5, 5, 5, 5}; // every point is the Tasks node
    ui::EmbeddingMapView view;
    view.setMaps({fisher});
    view.chartView()->setSelection({0, 1});
    QVERIFY(!view.mergeButton()->isEnabled());
    QVERIFY(view.mergeRefusal().contains("tasks"));
    QVERIFY(view.mergeableSelection().empty());
    QVERIFY(!view.chartView()->dragData());
  }

  void exportsTheMapAsCsv() {
    ui::EmbeddingMapView view;
    view.setMaps({specialistMap()});
    const QString path = QDir::temp().filePath("mg-map-test.csv");
    QCOMPARE(view.exportCsv(path), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QVERIFY2(lines[1].startsWith("LoRA rotate,"), qPrintable(lines[1]));
    QVERIFY2(lines[1].endsWith(",rotate,LoRA rotate-2"), qPrintable(lines[1]));
    file.remove();
  }

  void aMergeOfPickedNodesIsWiredToTheirBase() {
    ui::ProjectSession session;
    const auto& doc = session.document();
    const auto base = session.addNode(graph::node_types::kSourceModel, {0, 0});
    const auto a = session.addNode(graph::node_types::kSourceAdapter, {0, 100});
    const auto b = session.addNode(graph::node_types::kSourceAdapter, {0, 200});
    const auto map = session.addNode(graph::node_types::kEmbeddingMap, {300, 0});
    QCOMPARE(session.connectPorts({base, 0}, {map, 0}), QString());
    QCOMPARE(session.dropOnNode(map, a), QString());
    QCOMPARE(session.dropOnNode(map, b), QString());
    QCOMPARE(graph::sharedBaseOf(doc, {a, b}), std::optional<graph::PortRef>(graph::PortRef{base, 0}));
    QVERIFY(!graph::sharedBaseOf(doc, {base}));

    const int steps = session.undoStack()->count();
    QString error;
    const auto merge = session.addNodeFedBy("merge.ties", {a, b}, std::nullopt, &error);
    QVERIFY2(merge != graph::kNoNode, qPrintable(error));
    QCOMPARE(doc.at(merge).type, std::string("merge.ties"));
    QCOMPARE(doc.source({merge, 0}), std::optional<graph::PortRef>(graph::PortRef{base, 0}));
    QCOMPARE(doc.source({merge, 1}), std::optional<graph::PortRef>(graph::PortRef{a, 0}));
    QCOMPARE(doc.source({merge, 2}), std::optional<graph::PortRef>(graph::PortRef{b, 0}));
    QVERIFY(doc.at(merge).position.x > doc.at(a).position.x); // placed right of its inputs
    QCOMPARE(session.undoStack()->count(), steps + 1);        // one step
    session.undoStack()->undo();
    QVERIFY(!doc.contains(merge));
    QCOMPARE(doc.edgesFrom(a).size(), std::size_t(1));

    // Dropped on an existing merge: they join its models; already there: skipped, with the reason.
    const auto average = session.addNode("merge.task_arithmetic", {600, 0});
    QCOMPARE(session.dropNodesOnNode(average, {a, b}), QString());
    QCOMPARE(doc.variadicConnected(average), std::size_t(2));
    QVERIFY(!session.dropNodesOnNode(average, {a, b}).isEmpty());
    QCOMPARE(doc.variadicConnected(average), std::size_t(2));
    QCOMPARE(session.addNodeFedBy("merge.nonsense", {a}, std::nullopt, &error), graph::kNoNode);
    QVERIFY(error.contains("nonsense"));
  }

  void pickedPointsDroppedOnTheCanvasFeedAMerge() {
    ui::ProjectSession session;
    ui::GraphScene scene(&session);
    const auto& doc = session.document();
    const auto a = session.addNode(graph::node_types::kSourceAdapter, {0, 100});
    const auto b = session.addNode(graph::node_types::kSourceAdapter, {0, 200});
    const auto ties = session.addNode("merge.ties", {400, 100});
    std::unique_ptr<QMimeData> data(ui::encodeNodeList({a, b}));
    QVERIFY(ui::GraphScene::canDrop(data.get()));
    // On a merge node: they feed it.
    QVERIFY(scene.dropMimeData(data.get(), scene.nodeItem(ties)->sceneBoundingRect().center()));
    QCOMPARE(doc.variadicConnected(ties), std::size_t(2));
    // On empty canvas: a new task arithmetic merge of them.
    const auto before = doc.nodeIds();
    QVERIFY(scene.dropMimeData(data.get(), QPointF(900, 900)));
    const auto after = doc.nodeIds();
    QCOMPARE(after.size(), before.size() + 1);
    const auto made = after.back();
    QCOMPARE(doc.at(made).type, std::string("merge.task_arithmetic"));
    QCOMPARE(doc.variadicConnected(made), std::size_t(2));
  }

  void mergeGainPlotFitsALineAndSelectsThePair() {
    engine::ScatterValue plot;
    plot.kind = "merge_gain";
    plot.title = "Merge gain";
    plot.xLabel = "similarity";
    plot.yLabel = "gain (points)";
    plot.note = "how to read it.";
    plot.points = {{"a × b", 0.0, -10.0, {1, 2}}, {"a × c", 0.5, -5.0, {1, 3}}, {"b × c", 1.0, 0.0, {2, 3}}};
    ui::ScatterPlotView view;
    view.resize(700, 360);
    view.setScatters({plot});
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.correlation(), 1.0); // exactly on a line
    QVERIFY(view.trendLine());
    QCOMPARE(view.trendLine()->count(), 2);
    QSignalSpy activated(&view, &ui::ScatterPlotView::nodesActivated);
    QTest::mouseClick(view.chartView()->viewport(), Qt::LeftButton, {}, view.chartView()->viewPosition(1));
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.front().front().value<std::vector<graph::NodeId>>(),
             (std::vector<graph::NodeId>{1, 3}));
    sendMouse(view.chartView()->viewport(), QEvent::MouseMove, view.chartView()->viewPosition(1),
              Qt::NoButton);
    QVERIFY(view.chartView()->lastHoverText().contains("gain (points): -5.00"));

    const QString path = QDir::temp().filePath("mg-gain-test.csv");
    QCOMPARE(view.exportCsv(path), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).trimmed().split('\n');
    QCOMPARE(lines,
             (QStringList{"point,similarity,gain (points)", "a × b,0,-10", "a × c,0.5,-5", "b × c,1,0"}));
    file.remove();
  }

  void resultsPanelEnablesTheTabsThatHaveData() {
    ui::ResultsPanel panel;
    auto* tabs = panel.tabs();
    for (int i = 0; i < tabs->count(); ++i)
      QVERIFY(!tabs->isTabEnabled(i));
    engine::MatrixValue routing;
    routing.kind = "routing";
    routing.title = "Routing of Router";
    routing.rows = {"rotate"};
    routing.columns = {"rotate", "flip"};
    routing.values = {{0.9, 0.1}};
    panel.setMatrices({routing});
    QVERIFY(tabs->isTabEnabled(tabs->indexOf(panel.routingView())));
    QVERIFY(!tabs->isTabEnabled(tabs->indexOf(panel.interferenceView())));
    panel.setEmbeddings({specialistMap()});
    QVERIFY(tabs->isTabEnabled(tabs->indexOf(panel.mapView())));
    QSignalSpy merge(&panel, &ui::ResultsPanel::mergeRequested);
    panel.mapView()->chartView()->setSelection({2, 3});
    panel.mapView()->mergeButton()->click();
    QCOMPARE(merge.size(), 1);
    panel.clear();
    QVERIFY(!tabs->isTabEnabled(tabs->indexOf(panel.mapView())));
  }
};

MG_TEST_MAIN(EmbeddingMapViewTest)
#include "test_embedding_map_view.moc"
