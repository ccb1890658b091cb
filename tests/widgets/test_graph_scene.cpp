// The canvas as a user drives it: the scene mirrors the document through undo and redo; dropping an
// adapter on a merge node, files from a file manager and node types from the library; dragging edges
// between ports (incompatible ports greyed, refusals explained, a dangling edge opening the quick-add
// palette); deleting, copying, pasting and duplicating with the shortcuts; dragging nodes as one step;
// badges and validation markers; and a rendering of a small graph to look at.
#include "support/test_registry.h"
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMimeData>
#include <QSignalSpy>
#include <QUndoStack>
#include <QUrl>
#include <QtTest>

#include "editor/edge_item.h"
#include "editor/editor_mime.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/minimap.h"
#include "editor/node_item.h"
#include "editor/port_item.h"
#include "editor/quick_add_palette.h"
#include "editor_fixtures.h"
#include "graph/clipboard.h"

using namespace mg;
using graph::NodeId;
using graph::PortRef;
using test::SessionGraph;
using ui::GraphScene;
using ui::GraphView;
using ui::ProjectSession;

namespace {

struct Canvas {
  ProjectSession session;
  GraphScene scene{&session};
  GraphView view{&scene};

  Canvas() {
    view.resize(1200, 800);
    view.show();
    view.activateWindow();
    QTest::qWaitForWindowActive(&view); // shortcuts need an active window
    view.setFocus();
  }
  QWidget* viewport() { return view.viewport(); }
  QPoint at(QPointF scenePos) { return view.mapFromScene(scenePos); }
  QPoint portPoint(NodeId node, std::size_t index, bool input) {
    const ui::NodeItem* item = scene.nodeItem(node);
    const auto& ports = input ? item->inputPorts() : item->outputPorts();
    return at(ports.at(index)->scenePos());
  }
  QPoint nodeCentre(NodeId node) { return at(scene.nodeItem(node)->sceneBoundingRect().center()); }

  void mouse(QEvent::Type type, QPoint pos, Qt::MouseButton button, Qt::MouseButtons buttons,
             Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    QMouseEvent event(type, QPointF(pos), viewport()->mapToGlobal(QPointF(pos)), button, buttons, modifiers);
    QApplication::sendEvent(viewport(), &event);
  }
  // Press at `from`, move in steps to `to`, release there.
  void drag(QPoint from, QPoint to, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    mouse(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton, modifiers);
    for (int i = 1; i <= 4; ++i)
      mouse(QEvent::MouseMove, from + (to - from) * i / 4, Qt::NoButton, Qt::LeftButton, modifiers);
    mouse(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton, modifiers);
  }
  void dragOver(QMimeData* data, QPoint pos) {
    QDragEnterEvent enter(pos, Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport(), &enter);
    QDragMoveEvent move(pos, Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport(), &move);
  }
  bool drop(QMimeData* data, QPoint pos) {
    dragOver(data, pos);
    QDropEvent drop(pos, Qt::CopyAction, data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport(), &drop);
    return drop.isAccepted();
  }
  std::size_t nodeItemCount() const {
    std::size_t n = 0;
    for (QGraphicsItem* item : scene.items())
      n += item->type() == ui::NodeItem::Type ? 1 : 0;
    return n;
  }
};

QMimeData* sourceMime(const QString& path) {
  auto* data = new QMimeData;
  data->setData(QString::fromLatin1(ui::mime::kSource),
                QJsonDocument(QJsonObject{{QStringLiteral("path"), path}}).toJson(QJsonDocument::Compact));
  return data;
}

} // namespace

class GraphSceneTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void sceneFollowsTheDocumentThroughUndo() {
    Canvas c;
    SessionGraph g(c.session);
    QCOMPARE(c.nodeItemCount(), std::size_t(5));
    QCOMPARE(c.scene.edgeItemCount(), std::size_t(4));
    QCOMPARE(c.scene.nodeItem(g.merge)->inputPorts().size(), std::size_t(4)); // base, 2 models, 1 free
    QCOMPARE(c.scene.edgeItem({g.merge, 2})->toolTip(), QStringLiteral("Model → TIES, models 2 (model)"));
    MG_VERIFY_DONE(c.session.removeNodes({g.merge}));
    QCOMPARE(c.nodeItemCount(), std::size_t(4));
    QCOMPARE(c.scene.edgeItemCount(), std::size_t(0));
    c.session.undoStack()->undo();
    QCOMPARE(c.nodeItemCount(), std::size_t(5));
    QCOMPARE(c.scene.edgeItemCount(), std::size_t(4));
    // Edges follow their nodes.
    const QPointF before = c.scene.edgeItem({g.merge, 0})->path().pointAtPercent(1.0);
    c.session.moveNodes({{g.merge, QPointF(400, 160)}});
    const QPointF after = c.scene.edgeItem({g.merge, 0})->path().pointAtPercent(1.0);
    QCOMPARE(after - before, QPointF(80, 60));
    // A file load rebuilds everything.
    c.session.newProject();
    QCOMPARE(c.nodeItemCount(), std::size_t(0));
    QCOMPARE(c.scene.edgeItemCount(), std::size_t(0));
  }

  void droppingAnAdapterOnAMergeNodeConnectsIt() {
    test::TempDir dir;
    const QString adapter = test::makeAdapterFolder(dir, "math-lora");
    Canvas c;
    SessionGraph g(c.session);
    c.view.fitAll();
    const int steps = c.session.undoStack()->count();
    QSignalSpy selected(&c.scene, &GraphScene::selectedNodesChanged);
    std::unique_ptr<QMimeData> data(sourceMime(adapter));
    // While dragged over the merge node, the node shows it would take the adapter; a source would not.
    c.dragOver(data.get(), c.nodeCentre(g.a));
    QVERIFY(!c.scene.nodeItem(g.a)->isDropHighlighted());
    c.dragOver(data.get(), c.nodeCentre(g.merge));
    QVERIFY(c.scene.nodeItem(g.merge)->isDropHighlighted());
    QVERIFY(c.drop(data.get(), c.nodeCentre(g.merge)));
    QVERIFY(!c.scene.nodeItem(g.merge)->isDropHighlighted());
    const auto& doc = c.session.document();
    const auto into = doc.edgesInto(g.merge);
    QCOMPARE(into.size(), std::size_t(4));
    const NodeId adapterNode = into.back().from.node;
    QCOMPARE(into.back().to, (PortRef{g.merge, 3})); // the group's new input
    QCOMPARE(doc.at(adapterNode).type, std::string(graph::node_types::kSourceAdapter));
    QCOMPARE(*doc.param(adapterNode, "path"), graph::ParamValue(adapter.toStdString()));
    QVERIFY(c.scene.nodeItem(adapterNode));
    QVERIFY(c.scene.edgeItem({g.merge, 3}));
    QCOMPARE(c.session.undoStack()->count(), steps + 1); // node and edge: one step
    QVERIFY(selected.count() >= 1);
    QCOMPARE(c.scene.selectedNodes(), std::vector<NodeId>{adapterNode});
    c.session.undoStack()->undo();
    QVERIFY(!doc.contains(adapterNode));
    QCOMPARE(doc.variadicConnected(g.merge), std::size_t(2));
    QVERIFY(!c.scene.edgeItem({g.merge, 3}));
  }

  void droppingFilesFromAFileManagerMakesSources() {
    test::TempDir dir;
    const QString model = test::makeModelFile(dir, "base");
    const QString adapter = test::makeAdapterFolder(dir, "chat-lora");
    const QString junk = QString::fromStdString(dir.file("notes.txt"));
    test::writeBytes(junk.toStdString(), "hello");
    Canvas c;
    QSignalSpy status(&c.scene, &GraphScene::statusMessage);
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(model), QUrl::fromLocalFile(adapter), QUrl::fromLocalFile(junk)});
    QVERIFY(c.drop(&data, QPoint(300, 300)));
    const auto& doc = c.session.document();
    QCOMPARE(doc.nodes().size(), std::size_t(2));
    QCOMPARE(doc.at(1).type, std::string(graph::node_types::kSourceModel));
    QCOMPARE(doc.at(1).title, std::string("base"));
    QCOMPARE(doc.at(2).type, std::string(graph::node_types::kSourceAdapter));
    QCOMPARE(c.session.undoStack()->count(), 1); // one drop, one step
    QCOMPARE(status.count(), 1);
    QVERIFY(status.last().at(0).toString().contains(QStringLiteral("notes.txt")));
  }

  void droppingANodeTypeAddsIt() {
    Canvas c;
    QMimeData data;
    data.setData(QString::fromLatin1(ui::mime::kNodeType), QByteArray("merge.ties"));
    const QPoint where(500, 400);
    QVERIFY(c.drop(&data, where));
    QCOMPARE(c.session.document().nodes().size(), std::size_t(1));
    const NodeId id = c.session.document().nodeIds().front();
    QCOMPARE(c.session.document().at(id).type, std::string("merge.ties"));
    QVERIFY(c.scene.nodeItem(id)->sceneBoundingRect().contains(c.view.mapToScene(where)));
    QMimeData unknown;
    unknown.setData(QString::fromLatin1(ui::mime::kNodeType), QByteArray("merge.nothing"));
    QVERIFY(!c.drop(&unknown, where));
    QCOMPARE(c.session.document().nodes().size(), std::size_t(1));
  }

  void draggingAnEdgeGreysIncompatiblePorts() {
    Canvas c;
    SessionGraph g(c.session);
    const NodeId tasks = c.session.addNode(QString::fromLatin1(graph::node_types::kSourceTasks), {0, 400});
    const NodeId evaluate = c.session.addNode(QString::fromLatin1(graph::node_types::kEvaluate), {640, 400});
    c.view.fitAll();
    const auto* evalItem = c.scene.nodeItem(evaluate);
    const auto* mergeItem = c.scene.nodeItem(g.merge);
    // Press on the tasks output and move, without letting go.
    const QPoint from = c.portPoint(tasks, 0, false);
    c.mouse(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    c.mouse(QEvent::MouseMove, from + QPoint(60, 10), Qt::NoButton, Qt::LeftButton);
    QVERIFY(c.scene.isDraggingEdge());
    QVERIFY(!evalItem->inputPorts().at(1)->isGreyed()); // "tasks" takes it
    QVERIFY(evalItem->inputPorts().at(0)->isGreyed());  // "model" does not
    for (const auto* port : mergeItem->inputPorts())
      QVERIFY(port->isGreyed());
    QVERIFY(mergeItem->outputPorts().at(0)->isGreyed()); // outputs never take an output
    // Let go on an incompatible input: refused, with the reason.
    QSignalSpy status(&c.scene, &GraphScene::statusMessage);
    const QPoint wrong = c.portPoint(g.merge, 3, true);
    c.mouse(QEvent::MouseMove, wrong, Qt::NoButton, Qt::LeftButton);
    c.mouse(QEvent::MouseButtonRelease, wrong, Qt::LeftButton, Qt::NoButton);
    QVERIFY(!c.scene.isDraggingEdge());
    QCOMPARE(status.count(), 1);
    QVERIFY2(status.last().at(0).toString().contains(QStringLiteral("tasks")),
             qPrintable(status.last().at(0).toString()));
    QVERIFY(!mergeItem->inputPorts().at(0)->isGreyed()); // all back to normal
    QCOMPARE(c.session.document().edges().size(), std::size_t(4));
    // On a taken input from an output: the edge there is replaced, in one step.
    const int steps = c.session.undoStack()->index();
    c.mouse(QEvent::MouseButtonPress, c.portPoint(g.b, 0, false), Qt::LeftButton, Qt::LeftButton);
    c.mouse(QEvent::MouseMove, c.portPoint(g.b, 0, false) + QPoint(40, 0), Qt::NoButton, Qt::LeftButton);
    QVERIFY(!c.scene.nodeItem(g.exporter)->inputPorts().at(0)->isGreyed()); // taken, yet replaceable
    QVERIFY(c.scene.nodeItem(g.merge)->inputPorts().at(1)->isGreyed()); // a taken input of a group is kept
    c.mouse(QEvent::MouseMove, c.portPoint(g.exporter, 0, true), Qt::NoButton, Qt::LeftButton);
    c.mouse(QEvent::MouseButtonRelease, c.portPoint(g.exporter, 0, true), Qt::LeftButton, Qt::NoButton);
    QCOMPARE(c.session.document().source({g.exporter, 0}), std::optional<PortRef>(PortRef{g.b, 0}));
    QCOMPARE(c.session.undoStack()->index(), steps + 1);
    c.session.undoStack()->undo();
    QCOMPARE(c.session.document().source({g.exporter, 0}), std::optional<PortRef>(PortRef{g.merge, 0}));
    // On the right one: connected.
    c.drag(c.portPoint(tasks, 0, false), c.portPoint(evaluate, 1, true));
    QCOMPARE(c.session.document().source({evaluate, 1}), std::optional<PortRef>(PortRef{tasks, 0}));
    QVERIFY(c.scene.edgeItem({evaluate, 1}));
  }

  void aDanglingEdgeOpensThePaletteAndConnectsTheNewNode() {
    Canvas c;
    SessionGraph g(c.session);
    c.view.fitAll();
    ui::QuickAddPalette* palette = c.view.quickAddPalette();
    QVERIFY(!palette->isVisible());
    const int steps = c.session.undoStack()->count();
    const QPoint empty = c.at(QPointF(420, 600));
    QVERIFY(!c.scene.itemAt(c.view.mapToScene(empty), c.view.transform()));
    c.drag(c.portPoint(g.exporter, 0, true) - QPoint(0, 0), empty); // from a connected input: picks it up
    // Let go in the void: that edge is gone (one step), no palette.
    QVERIFY(!c.session.document().source({g.exporter, 0}));
    QVERIFY(!palette->isVisible());
    QCOMPARE(c.session.undoStack()->count(), steps + 1);
    c.session.undoStack()->undo();

    c.drag(c.portPoint(g.a, 0, false), empty);
    QVERIFY(palette->isVisible());
    // Only types that take a model are offered.
    const QStringList offered = palette->listedTypeIds();
    QVERIFY(offered.contains(QStringLiteral("merge.ties")));
    QVERIFY(offered.contains(QString::fromLatin1(graph::node_types::kExport)));
    QVERIFY(!offered.contains(QString::fromLatin1(graph::node_types::kSourceModel)));
    QVERIFY(!offered.contains(QString::fromLatin1(graph::node_types::kCompare))); // takes scores
    QTest::keyClicks(palette->findChild<QLineEdit*>(), QStringLiteral("export"));
    QCOMPARE(palette->currentTypeId(), QString::fromLatin1(graph::node_types::kExport));
    QTest::keyClick(palette->findChild<QLineEdit*>(), Qt::Key_Return);
    QVERIFY(!palette->isVisible());
    const auto& doc = c.session.document();
    const NodeId created = doc.nodeIds().back();
    QCOMPARE(doc.at(created).type, std::string(graph::node_types::kExport));
    QCOMPARE(doc.source({created, 0}), std::optional<PortRef>(PortRef{g.a, 0}));
    QCOMPARE(c.session.undoStack()->count(), steps + 1); // node + edge: one step (the redo was dropped)
    QCOMPARE(c.scene.selectedNodes(), std::vector<NodeId>{created});
  }

  void spaceAndDoubleClickOpenThePalette() {
    Canvas c;
    ui::QuickAddPalette* palette = c.view.quickAddPalette();
    QTest::keyClick(&c.view, Qt::Key_Space);
    QVERIFY(palette->isVisible());
    QCOMPARE(palette->listedTypeIds().size(), int(c.session.document().registry().types().size()));
    // Typing goes to the filter, not to the canvas's one-key shortcuts (F is "fit all").
    c.session.addNode(QStringLiteral("merge.ties"), {});
    c.scene.selectNodes(c.session.document().nodeIds());
    QTest::keyClicks(palette->findChild<QLineEdit*>(), QStringLiteral("fa"));
    QTest::keyClick(palette->findChild<QLineEdit*>(), Qt::Key_Backspace); // edits the filter, deletes no node
    QCOMPARE(palette->findChild<QLineEdit*>()->text(), QStringLiteral("f"));
    QCOMPARE(c.session.document().nodes().size(), std::size_t(1));
    c.session.undoStack()->undo();
    palette->setFilterText(QStringLiteral("sources adapter"));
    QCOMPARE(palette->listedTypeIds(), QStringList{QString::fromLatin1(graph::node_types::kSourceAdapter)});
    QTest::keyClick(palette->findChild<QLineEdit*>(), Qt::Key_Escape);
    QVERIFY(!palette->isVisible());
    c.mouse(QEvent::MouseButtonDblClick, QPoint(400, 300), Qt::LeftButton, Qt::LeftButton);
    QVERIFY(palette->isVisible());
    palette->setFilterText(QStringLiteral("ties"));
    palette->chooseCurrent();
    QCOMPARE(c.session.document().nodes().size(), std::size_t(1));
  }

  void doubleClickingANodeReportsIt() {
    Canvas c;
    SessionGraph g(c.session);
    c.view.fitAll();
    QSignalSpy activated(&c.scene, &GraphScene::nodeDoubleClicked);
    const QPoint title = c.at(c.scene.nodeItem(g.merge)->scenePos() + QPointF(60, 16));
    c.mouse(QEvent::MouseButtonPress, title, Qt::LeftButton, Qt::LeftButton);
    c.mouse(QEvent::MouseButtonRelease, title, Qt::LeftButton, Qt::NoButton);
    c.mouse(QEvent::MouseButtonDblClick, title, Qt::LeftButton, Qt::LeftButton);
    c.mouse(QEvent::MouseButtonRelease, title, Qt::LeftButton, Qt::NoButton);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.last().at(0).value<NodeId>(), g.merge);
    QVERIFY(!c.view.quickAddPalette()->isVisible()); // on a node: no palette
  }

  void deleteCopyPasteDuplicateWithTheShortcuts() {
    Canvas c;
    SessionGraph g(c.session);
    c.view.fitAll();
    c.scene.selectNodes({g.merge});
    c.view.deleteAction()->trigger();
    QVERIFY(!c.session.document().contains(g.merge));
    QCOMPARE(c.session.document().edges().size(), std::size_t(0)); // its four edges went with it
    c.session.undoStack()->undo();

    c.scene.selectNodes({g.a, g.b, g.merge});
    QTest::keyClick(c.viewport(), Qt::Key_D, Qt::ControlModifier);
    const auto dup = c.scene.selectedNodes();
    QCOMPARE(dup.size(), std::size_t(3));
    QVERIFY(dup.front() > g.exporter);
    QCOMPARE(c.session.document().edgesInto(dup.back()).size(), std::size_t(2));

    c.scene.selectNodes({g.exporter});
    c.view.copyAction()->trigger();
    QVERIFY(QApplication::clipboard()->mimeData()->hasFormat(QString::fromLatin1(graph::kClipboardMimeType)));
    const std::size_t before = c.session.document().nodes().size();
    c.view.pasteAction()->trigger();
    QCOMPARE(c.session.document().nodes().size(), before + 1);
    QCOMPARE(c.scene.selectedNodes().size(), std::size_t(1));
    QVERIFY(c.scene.selectedNodes().front() != g.exporter);

    // An edge selected alone is deleted alone.
    c.scene.clearSelection();
    c.scene.edgeItem({g.merge, 1})->setSelected(true);
    c.view.deleteAction()->trigger();
    QCOMPARE(c.session.document().variadicConnected(g.merge), std::size_t(1));
    QVERIFY(c.session.document().contains(g.a));
  }

  void draggingNodesIsOneStepOnTheGrid() {
    Canvas c;
    SessionGraph g(c.session);
    c.view.fitAll();
    const int steps = c.session.undoStack()->count();
    // Shift-click adds to the selection; then drag both by the title of one.
    const QPoint titleOfA = c.at(c.scene.nodeItem(g.a)->scenePos() + QPointF(60, 16));
    const QPoint titleOfB = c.at(c.scene.nodeItem(g.b)->scenePos() + QPointF(60, 16));
    c.mouse(QEvent::MouseButtonPress, titleOfA, Qt::LeftButton, Qt::LeftButton);
    c.mouse(QEvent::MouseButtonRelease, titleOfA, Qt::LeftButton, Qt::NoButton);
    c.mouse(QEvent::MouseButtonPress, titleOfB, Qt::LeftButton, Qt::LeftButton, Qt::ShiftModifier);
    c.mouse(QEvent::MouseButtonRelease, titleOfB, Qt::LeftButton, Qt::NoButton, Qt::ShiftModifier);
    QCOMPARE(c.scene.selectedNodes(), (std::vector<NodeId>{g.a, g.b}));
    c.drag(titleOfA, titleOfA + QPoint(97, 43));
    QCOMPARE(c.session.undoStack()->count(), steps + 1);
    const graph::Point a = c.session.document().at(g.a).position;
    const graph::Point b = c.session.document().at(g.b).position;
    QVERIFY(a.x > 0);
    QCOMPARE(std::fmod(a.x, GraphScene::kGrid), 0.0);
    QCOMPARE(std::fmod(a.y, GraphScene::kGrid), 0.0);
    QCOMPARE(b.x, a.x); // moved together
    c.session.undoStack()->undo();
    QCOMPARE(c.session.document().at(g.a).position, (graph::Point{0, 120}));
    QCOMPARE(c.scene.nodeItem(g.a)->pos(), QPointF(0, 120));
  }

  void alignAndAutoLayout() {
    Canvas c;
    SessionGraph g(c.session);
    c.session.moveNodes({{g.merge, QPointF(20, 500)}, {g.base, QPointF(700, 0)}});
    c.view.autoLayoutAction()->trigger();
    const auto& doc = c.session.document();
    QVERIFY(doc.at(g.base).position.x < doc.at(g.merge).position.x);
    QVERIFY(doc.at(g.merge).position.x < doc.at(g.exporter).position.x);
    // Nodes of one column do not overlap on screen.
    QVERIFY(!c.scene.nodeItem(g.a)
                 ->sceneBoundingRect()
                 .adjusted(0, 0, 0, -8)
                 .intersects(c.scene.nodeItem(g.b)->sceneBoundingRect().adjusted(0, 0, 0, -8)));
    c.scene.selectNodes({g.a, g.merge});
    c.view.alignTopAction()->trigger();
    QCOMPARE(doc.at(g.a).position.y, doc.at(g.merge).position.y);
    c.view.alignLeftAction()->trigger();
    QCOMPARE(doc.at(g.a).position.x, doc.at(g.merge).position.x);
  }

  void badgesAndIssuesShowOnNodes() {
    Canvas c;
    SessionGraph g(c.session);
    const NodeId lonely = c.session.addNode(QStringLiteral("merge.ties"), {320, 400});
    const ui::NodeItem* item = c.scene.nodeItem(lonely);
    QVERIFY(!item->issues().empty()); // validated after the step
    QVERIFY(item->toolTip().contains(QStringLiteral("Error")));
    QVERIFY(c.scene.nodeItem(g.merge)->issues().empty());
    c.scene.setBadge(g.merge, {ui::NodeBadge::State::Failed, -1, QStringLiteral("out of memory")});
    QVERIFY(c.scene.nodeItem(g.merge)->toolTip().contains(QStringLiteral("out of memory")));
    c.scene.setBadge(g.exporter, {ui::NodeBadge::State::Running, 0.4, {}});
    QCOMPARE(c.scene.nodeItem(g.exporter)->badge().progress, 0.4);
    c.scene.clearBadges();
    QCOMPARE(c.scene.nodeItem(g.merge)->badge().state, ui::NodeBadge::State::None);
    c.session.undoStack()->undo(); // the lonely merge goes, with its issues
    QVERIFY(!c.scene.nodeItem(lonely));
  }

  void zoomAndFit() {
    Canvas c;
    SessionGraph g(c.session);
    c.view.fitAll();
    for (const NodeId id : c.session.document().nodeIds())
      QVERIFY(c.view.viewport()->rect().contains(
          c.view.mapFromScene(c.scene.nodeItem(id)->sceneBoundingRect()).boundingRect()));
    const double zoom = c.view.zoom();
    QWheelEvent wheel(QPointF(300, 300), c.viewport()->mapToGlobal(QPointF(300, 300)), QPoint(),
                      QPoint(0, 240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    const QPointF under = c.view.mapToScene(QPoint(300, 300));
    QApplication::sendEvent(c.viewport(), &wheel);
    QVERIFY(c.view.zoom() > zoom);
    QVERIFY((c.view.mapToScene(QPoint(300, 300)) - under).manhattanLength() < 3.0); // zoomed to the cursor
    c.scene.selectNodes({g.merge});
    c.view.fitSelectionAction()->trigger();
    QVERIFY(c.view.zoom() > zoom);
  }

  void panWithTheMiddleButtonOrSpaceDrag() {
    Canvas c;
    SessionGraph g(c.session);
    const QPoint middle = c.viewport()->rect().center();
    const QPointF before = c.view.mapToScene(middle);
    c.mouse(QEvent::MouseButtonPress, middle, Qt::MiddleButton, Qt::MiddleButton);
    c.mouse(QEvent::MouseMove, middle + QPoint(100, 50), Qt::NoButton, Qt::MiddleButton);
    c.mouse(QEvent::MouseButtonRelease, middle + QPoint(100, 50), Qt::MiddleButton, Qt::NoButton);
    const QPointF panned = c.view.mapToScene(middle);
    QVERIFY2((panned - (before - QPointF(100, 50) / c.view.zoom())).manhattanLength() < 2.0,
             qPrintable(QStringLiteral("%1,%2").arg(panned.x()).arg(panned.y())));
    // Space held: a left drag pans instead of selecting, and releasing Space opens no palette.
    QTest::keyPress(&c.view, Qt::Key_Space);
    c.drag(middle, middle + QPoint(-60, 0));
    QTest::keyRelease(&c.view, Qt::Key_Space);
    QVERIFY(!c.view.quickAddPalette()->isVisible());
    QVERIFY((c.view.mapToScene(middle) - (panned + QPointF(60, 0) / c.view.zoom())).manhattanLength() < 2.0);
    QVERIFY(c.scene.selectedNodes().empty());
    QCOMPARE(c.session.document().at(g.a).position, (graph::Point{0, 120})); // nothing moved
  }

  void rubberBandSelectsAndShiftAdds() {
    Canvas c;
    SessionGraph g(c.session);
    c.view.fitAll();
    const QRectF sources =
        c.scene.nodeItem(g.base)->sceneBoundingRect() | c.scene.nodeItem(g.a)->sceneBoundingRect();
    QSignalSpy selected(&c.scene, &GraphScene::selectedNodesChanged);
    c.drag(c.at(sources.topLeft() - QPointF(15, 15)), c.at(sources.bottomRight() + QPointF(15, -30)));
    QCOMPARE(c.scene.selectedNodes(), (std::vector<NodeId>{g.base, g.a}));
    QVERIFY(selected.count() >= 1);
    QCOMPARE(selected.last().at(0).value<std::vector<NodeId>>(), (std::vector<NodeId>{g.base, g.a}));
    // With Shift, a second band adds the export node.
    const QRectF exporter = c.scene.nodeItem(g.exporter)->sceneBoundingRect();
    c.drag(c.at(exporter.topLeft() - QPointF(15, 15)), c.at(exporter.bottomRight() + QPointF(15, 15)),
           Qt::ShiftModifier);
    QCOMPARE(c.scene.selectedNodes(), (std::vector<NodeId>{g.base, g.a, g.exporter}));
    // Without, it replaces the selection.
    c.drag(c.at(exporter.topLeft() - QPointF(15, 15)), c.at(exporter.bottomRight() + QPointF(15, 15)));
    QCOMPARE(c.scene.selectedNodes(), (std::vector<NodeId>{g.exporter}));
  }

  void theMinimapMovesTheView() {
    Canvas c;
    SessionGraph g(c.session);
    c.view.zoomBy(2.5);
    c.view.centerOn(0, 0);
    ui::Minimap* minimap = c.view.minimap();
    QVERIFY(minimap->isVisible());
    QVERIFY(c.view.rect().contains(minimap->geometry()));
    // Click where the export node is drawn: the view centres on it.
    const QPointF target = c.scene.nodeItem(g.exporter)->sceneBoundingRect().center();
    // The minimap point for it, from toScene (a scale and an offset) at two points.
    const QPointF o = minimap->toScene(QPointF(0, 0));
    const QPointF u = minimap->toScene(QPointF(1, 1)) - o;
    const QPointF onMap((target.x() - o.x()) / u.x(), (target.y() - o.y()) / u.y());
    QTest::mouseClick(minimap, Qt::LeftButton, Qt::NoModifier, onMap.toPoint());
    const QPointF centre = c.view.mapToScene(c.viewport()->rect().center());
    QVERIFY2((centre - target).manhattanLength() < 30.0,
             qPrintable(QStringLiteral("%1,%2").arg(centre.x()).arg(centre.y())));
    c.view.minimapAction()->trigger();
    QVERIFY(!minimap->isVisible());
  }

  void rendersAPolishedGraph() {
    for (const bool dark : {true, false}) {
      test::TempDir dir;
      Canvas c;
      c.scene.setStyle(dark ? ui::EditorStyle::dark() : ui::EditorStyle::light());
      SessionGraph g(c.session);
      const QString adapter = test::makeAdapterFolder(dir, "math-lora");
      c.session.dropSource(adapter, {}, g.merge);
      const NodeId tasks = c.session.addNode(QString::fromLatin1(graph::node_types::kSourceTasks), {0, 600});
      const NodeId evaluate =
          c.session.addNode(QString::fromLatin1(graph::node_types::kEvaluate), {640, 400});
      c.session.connectPorts({g.merge, 0}, {evaluate, 0});
      c.session.connectPorts({tasks, 0}, {evaluate, 1});
      c.session.addNode(QStringLiteral("merge.ties"), {320, 700}); // unconnected: an error marker
      c.session.setParam(g.merge, "density", 0.3);
      c.view.autoLayout();
      c.scene.setBadge(g.base, {ui::NodeBadge::State::Cached, -1, {}});
      c.scene.setBadge(g.a, {ui::NodeBadge::State::Done, -1, {}});
      c.scene.setBadge(g.merge, {ui::NodeBadge::State::Running, 0.65, {}});
      c.scene.setBadge(g.exporter, {ui::NodeBadge::State::Pending, -1, {}});
      c.scene.setBadge(evaluate, {ui::NodeBadge::State::Failed, -1, QStringLiteral("out of memory")});
      c.scene.selectNodes({g.merge});
      const QImage image = c.view.grab().toImage();
      QVERIFY(!image.isNull());
      const QString name = dark ? QStringLiteral("graph-dark.png") : QStringLiteral("graph-light.png");
      QVERIFY(image.save(QString::fromStdString(dir.file(name.toStdString()))));
      // Kept for a human to look at when asked to.
      const QByteArray out = qgetenv("MG_EDITOR_SHOTS");
      if (!out.isEmpty()) image.save(QString::fromUtf8(out) + QLatin1Char('/') + name);
      // Not a blank canvas: the node bodies differ from the background.
      const QColor background = c.scene.style().background;
      int differing = 0;
      for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
          differing += image.pixelColor(x, y) != background ? 1 : 0;
      QVERIFY(differing > 200);
    }
  }
};

MG_TEST_MAIN(GraphSceneTest)
#include "test_graph_scene.moc"
