// Frames, comments and reroute points on the canvas, used as a person would (issue 16): a frame made around
// the selection (Ctrl+J) carries its nodes when dragged and resizes by its corner, a double-click on a wire
// adds a reroute point the wire is drawn through, which drags and goes with a double-click, a comment renders
// its Markdown; every gesture is one undo step and everything survives saving and loading.
#include "support/test_registry.h"
#include <QtTest>

#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QStyleOptionGraphicsItem>
#include <QTextBlock>
#include <QUndoStack>

#include "editor/annotation_actions.h"
#include "editor/annotation_layer.h"
#include "editor/comment_item.h"
#include "editor/edge_item.h"
#include "editor/frame_item.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/group_item.h"
#include "editor/node_item.h"
#include "editor/reroute_item.h"
#include "canvas_fixture.h"
#include "editor_fixtures.h"
#include "panels/properties_panel.h"
#include "session/project_session.h"

using namespace mg;
using graph::NodeId;

namespace {

// The shared canvas, driven in scene coordinates.
struct Canvas : test::Canvas {
  Canvas() : test::Canvas({1400, 900}) { view.centerOn(400, 200); }
  void drag(QPointF from, QPointF to) { test::Canvas::drag(at(from), at(to)); }
  void doubleClick(QPointF scenePos) { test::Canvas::doubleClick(at(scenePos)); }
  QPointF nodePos(NodeId id) {
    const auto& p = session.document().at(id).position;
    return {p.x, p.y};
  }
  const graph::Frame& onlyFrame() {
    const auto& frames = session.document().annotations().frames();
    if (frames.size() != 1) qFatal("expected one frame, found %zu", frames.size());
    return frames.begin()->second;
  }
  std::vector<graph::Point> reroutes(graph::PortRef input) {
    return session.document().annotations().reroutesOf(input);
  }
};

// How far the drawn wire passes from `point` (scene coordinates).
double distanceFromWire(const ui::EdgeItem* edge, QPointF point) {
  double best = 1e9;
  for (int i = 0; i <= 2000; ++i) {
    const QPointF d = edge->path().pointAtPercent(i / 2000.0) - point;
    best = std::min(best, std::hypot(d.x(), d.y()));
  }
  return best;
}

} // namespace

class AnnotationsEditorTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aFrameAroundTheSelectionCarriesItsNodes() {
    Canvas c;
    test::SessionGraph g(c.session);
    c.scene.selectNodes({g.merge, g.exporter});
    QTest::keyClick(&c.view, Qt::Key_J, Qt::ControlModifier);
    const graph::Frame frame = c.onlyFrame();
    ui::FrameItem* item = c.scene.annotationLayer()->frameItem(frame.id);
    QVERIFY(item && item->isSelected());
    const QRectF box(frame.rect.x, frame.rect.y, frame.rect.width, frame.rect.height);
    for (const NodeId id : {g.merge, g.exporter})
      QVERIFY(box.contains(c.scene.nodeItem(id)->sceneBoundingRect().adjusted(4, 4, -4, -4)));
    QVERIFY(!box.intersects(c.scene.nodeItem(g.a)->sceneBoundingRect()));
    QVERIFY(item->zValue() < c.scene.edgeItem({g.merge, 1})->zValue()); // behind edges, so behind nodes
    const QString before = test::documentText(c.session);
    const int steps = c.session.undoStack()->count();

    // Dragged by its title band: the nodes inside come along, the others stay.
    const QPointF exporter = c.nodePos(g.exporter), merge = c.nodePos(g.merge), a = c.nodePos(g.a);
    const QPointF grab(frame.rect.x + 80, frame.rect.y + 12);
    c.scene.clearSelection();
    c.drag(grab, grab + QPointF(200, 100));
    QCOMPARE(c.nodePos(g.exporter), exporter + QPointF(200, 100));
    QCOMPARE(c.nodePos(g.merge), merge + QPointF(200, 100));
    QCOMPARE(c.nodePos(g.a), a);
    QCOMPARE(c.onlyFrame().rect.x, frame.rect.x + 200);
    QCOMPARE(c.onlyFrame().rect.y, frame.rect.y + 100);
    QCOMPARE(c.session.undoStack()->count(), steps + 1); // one step for the frame and its nodes

    c.session.undoStack()->undo();
    QCOMPARE(test::documentText(c.session), before);
    QCOMPARE(c.scene.nodeItem(g.merge)->pos(), merge);
    QCOMPARE(item->pos(), QPointF(frame.rect.x, frame.rect.y));

    // Its body is canvas: a click there starts a rubber band, a double-click adds a node.
    QVERIFY(!c.view.itemAt(c.at({frame.rect.x + 8, frame.rect.y + frame.rect.height - 24})));
    // Its colour comes from the context menu of its title band.
    QMenu menu;
    c.view.annotationActions()->fillContextMenu(&menu, grab);
    QMenu* colours = nullptr;
    for (QAction* action : menu.actions())
      if (action->menu() && action->text() == QStringLiteral("Frame Colour")) colours = action->menu();
    QVERIFY(colours);
    for (QAction* action : colours->actions())
      if (action->text() == QStringLiteral("Purple")) action->trigger();
    QCOMPARE(c.onlyFrame().colour, std::string("purple"));
  }

  void aFrameCarriesACollapsedGroup() {
    Canvas c;
    test::SessionGraph g(c.session);
    graph::GroupId group = 0;
    MG_VERIFY_DONE(c.session.groupNodes({g.a, g.b}, QStringLiteral("Adapters"), &group));
    c.scene.clearSelection();
    c.scene.groupItem(group)->setSelected(true);
    c.view.annotationActions()->frameAction()->trigger();
    const graph::Frame frame = c.onlyFrame();
    QVERIFY(QRectF(frame.rect.x, frame.rect.y, frame.rect.width, frame.rect.height)
                .contains(c.scene.groupItem(group)->sceneBoundingRect()));
    const QPointF a = c.nodePos(g.a), b = c.nodePos(g.b);
    const QPointF grab(frame.rect.x + 6, frame.rect.y + 12); // left of the base node above
    c.scene.clearSelection();
    c.drag(grab, grab + QPointF(-100, 200));
    QCOMPARE(c.nodePos(g.a), a + QPointF(-100, 200));
    QCOMPARE(c.nodePos(g.b), b + QPointF(-100, 200));
  }

  void aFrameResizesByItsCorner() {
    Canvas c;
    test::SessionGraph g(c.session);
    c.scene.selectNodes({g.merge});
    c.view.annotationActions()->frameAction()->trigger();
    const graph::Frame frame = c.onlyFrame();
    const QPointF corner(frame.rect.x + frame.rect.width - 4, frame.rect.y + frame.rect.height - 4);
    c.drag(corner, corner + QPointF(120, 60));
    QCOMPARE(c.onlyFrame().rect.width, frame.rect.width + 120);
    QCOMPARE(c.onlyFrame().rect.height, frame.rect.height + 60);
    QCOMPARE(c.nodePos(g.merge), QPointF(320, 100)); // resizing carries nothing
    c.session.undoStack()->undo();
    QCOMPARE(c.onlyFrame().rect.width, frame.rect.width);
  }

  void doubleClickingAWireAddsAReroutePointItIsDrawnThrough() {
    test::TempDir dir;
    Canvas c;
    test::SessionGraph g(c.session);
    const graph::PortRef input{g.exporter, 0};
    ui::EdgeItem* edge = c.scene.edgeItem(input);
    const QPointF onWire = edge->path().pointAtPercent(0.5);
    c.doubleClick(onWire);
    QCOMPARE(c.reroutes(input).size(), std::size_t(1));
    QCOMPARE(QPointF(c.reroutes(input)[0].x, c.reroutes(input)[0].y), onWire);

    // Dragged down, the wire follows it.
    c.scene.clearSelection();
    c.drag(onWire, onWire + QPointF(0, 300));
    const auto moved = c.reroutes(input);
    QCOMPARE(moved.size(), std::size_t(1));
    QCOMPARE(QPointF(moved[0].x, moved[0].y), onWire + QPointF(0, 300));
    edge = c.scene.edgeItem(input);
    QVERIFY(distanceFromWire(edge, onWire + QPointF(0, 300)) < 0.5);
    QVERIFY(edge->path().boundingRect().height() > 290); // down to the point and back up

    // Saved and opened again, the point is there and the wire goes through it.
    const QString file = QString::fromStdString(dir.file("rerouted.mgproj"));
    MG_VERIFY_DONE(c.session.saveAs(file));
    MG_VERIFY_DONE(c.session.load(file));
    edge = c.scene.edgeItem(input);
    QVERIFY(edge);
    QCOMPARE(edge->reroutes().size(), std::size_t(1));
    QVERIFY(distanceFromWire(edge, onWire + QPointF(0, 300)) < 0.5);

    // A double-click on the point removes it; undo brings it back.
    c.doubleClick(onWire + QPointF(0, 300));
    QVERIFY(c.reroutes(input).empty());
    QCOMPARE(c.scene.edgeItem(input)->reroutes().size(), std::size_t(0));
    c.session.undoStack()->undo();
    QCOMPARE(c.scene.edgeItem(input)->reroutes().size(), std::size_t(1));
    // Selected, Delete removes it and leaves the edge.
    c.scene.clearSelection();
    for (QGraphicsItem* child : c.scene.edgeItem(input)->childItems())
      child->setSelected(true);
    QVERIFY(c.view.deleteAction()->isEnabled());
    c.view.deleteAction()->trigger();
    QVERIFY(c.reroutes(input).empty());
    QVERIFY(c.session.document().source(input).has_value());
  }

  void thePropertiesPanelEditsASelectedFrame() {
    Canvas c;
    test::SessionGraph g(c.session);
    ui::PropertiesPanel panel;
    panel.setDocument(&c.session.document());
    QObject::connect(&panel, &ui::PropertiesPanel::frameEditRequested, &c.session,
                     [&](const graph::Frame& f) { c.session.editFrame(f); });
    c.scene.selectNodes({g.merge});
    c.view.annotationActions()->frameAction()->trigger();
    const graph::AnnotationId id = c.onlyFrame().id;
    panel.setAnnotation(id);
    auto* title = panel.findChild<QLineEdit*>(QStringLiteral("annotationTitle"));
    auto* text = panel.findChild<QPlainTextEdit*>(QStringLiteral("annotationText"));
    QVERIFY(title && title->isVisibleTo(&panel) && text);
    QCOMPARE(title->text(), QString::fromStdString(c.onlyFrame().title));
    const int steps = c.session.undoStack()->count();
    title->selectAll();
    QTest::keyClicks(title, QStringLiteral("Merge"));
    QCOMPARE(c.onlyFrame().title, std::string("Merge"));
    QTest::keyClicks(text, QStringLiteral("**why**"));
    QCOMPARE(c.onlyFrame().comment, std::string("**why**"));
    QCOMPARE(c.session.undoStack()->count(), steps + 1); // typing is one step
    QCOMPARE(c.scene.annotationLayer()->frameItem(id)->textDocument()->toPlainText(), QStringLiteral("why"));
  }

  void recoveryTextKeepsThem() {
    // Autosave writes projectText(); restoring it after a crash brings the annotations back.
    test::TempDir dir;
    Canvas c;
    test::SessionGraph g(c.session);
    c.scene.selectNodes({g.merge});
    c.view.annotationActions()->frameAction()->trigger();
    c.scene.annotationLayer()->addReroutePoint(c.scene.edgeItem({g.exporter, 0}), {600, 300});
    const std::string recovery = dir.file("recovery.mgproj");
    test::writeBytes(recovery, graph::projectText(c.session.document(), dir.path()));
    ui::ProjectSession restored;
    MG_VERIFY_DONE(restored.restore(QString::fromStdString(recovery), {}));
    QVERIFY(restored.document().annotations() == c.session.document().annotations());
  }

  void reroutePointsFollowTheirEdgeWhenInputsRenumber() {
    Canvas c;
    test::SessionGraph g(c.session);
    // A point on b's wire (models 2), then a's wire (models 1) goes: b's becomes models 1, point and all.
    c.view.annotationActions(); // the canvas as the window has it
    c.scene.annotationLayer()->addReroutePoint(c.scene.edgeItem({g.merge, 2}), {200, 300});
    MG_VERIFY_DONE(c.session.disconnectInput({g.merge, 1}));
    QCOMPARE(c.scene.edgeItem({g.merge, 1})->edge().from, (graph::PortRef{g.b, 0}));
    QCOMPARE(c.scene.edgeItem({g.merge, 1})->reroutes().size(), std::size_t(1));
    QVERIFY(distanceFromWire(c.scene.edgeItem({g.merge, 1}), {200, 300}) < 0.5);
    c.session.undoStack()->undo();
    QCOMPARE(c.scene.edgeItem({g.merge, 2})->reroutes().size(), std::size_t(1));
    QCOMPARE(c.scene.edgeItem({g.merge, 1})->reroutes().size(), std::size_t(0));
    // Deleting b takes its wire's point; undo puts both back.
    MG_VERIFY_DONE(c.session.removeNodes({g.b}));
    QVERIFY(c.session.document().annotations().reroutes().empty());
    c.session.undoStack()->undo();
    QCOMPARE(c.scene.edgeItem({g.merge, 2})->reroutes().size(), std::size_t(1));
  }

  void theContextMenuOffersAReroutePointOnAWire() {
    Canvas c;
    test::SessionGraph g(c.session);
    const QPointF onWire = c.scene.edgeItem({g.merge, 0})->path().pointAtPercent(0.3);
    QMenu menu;
    c.view.annotationActions()->fillContextMenu(&menu, onWire);
    QAction* add = nullptr;
    for (QAction* action : menu.actions())
      if (action->text() == QStringLiteral("Add Reroute Point")) add = action;
    QVERIFY(add);
    add->trigger();
    QCOMPARE(c.reroutes({g.merge, 0}).size(), std::size_t(1));
  }

  void aCommentRendersItsMarkdown() {
    Canvas c;
    test::SessionGraph g(c.session);
    QTest::keyClick(&c.view, Qt::Key_C, Qt::ShiftModifier);
    const auto& comments = c.session.document().annotations().comments();
    QCOMPARE(comments.size(), std::size_t(1));
    graph::Comment comment = comments.begin()->second;
    comment.text = "# Plan\nMerge **a** and *b*:\n\n- first\n- second";
    MG_VERIFY_DONE(c.session.editComment(comment));
    const ui::CommentItem* item = c.scene.annotationLayer()->commentItem(comment.id);
    QVERIFY(item);
    const QTextDocument* text = item->textDocument();
    QCOMPARE(text->toPlainText(), QStringLiteral("Plan\nMerge a and b:\nfirst\nsecond"));
    const int boldAt = text->toPlainText().indexOf(QStringLiteral("a and"));
    QTextCursor cursor(const_cast<QTextDocument*>(text));
    cursor.setPosition(boldAt + 1);
    QCOMPARE(cursor.charFormat().fontWeight(), int(QFont::Bold));
    QVERIFY(text->findBlockByNumber(2).textList() != nullptr); // a list
    // Drawn: the comment's pixels are not all one colour.
    QImage image(320, 160, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    QStyleOptionGraphicsItem option;
    const_cast<ui::CommentItem*>(item)->paint(&painter, &option, nullptr);
    painter.end();
    QVERIFY(image.pixel(30, 20) != image.pixel(300, 150) || image.pixel(20, 14) != image.pixel(300, 150));
    c.session.undoStack()->undo();
    QVERIFY(c.session.document().annotations().comment(comment.id)->text.empty());
  }

  void deletingAFrameKeepsItsNodesAndCopyPasteTakesBoth() {
    Canvas c;
    test::SessionGraph g(c.session);
    c.scene.selectNodes({g.a, g.b});
    QTest::keyClick(&c.view, Qt::Key_J, Qt::ControlModifier);
    const graph::AnnotationId frame = c.onlyFrame().id;
    // Copy the nodes with the frame, paste: a second frame around the copies.
    c.scene.selectNodes({g.a, g.b});
    c.scene.annotationLayer()->select({frame});
    c.view.copySelection();
    c.view.pasteClipboard();
    QCOMPARE(c.session.document().annotations().frames().size(), std::size_t(2));
    QCOMPARE(c.session.document().nodes().size(), std::size_t(7));
    c.session.undoStack()->undo(); // the paste, frame and nodes, is one step
    QCOMPARE(c.session.document().annotations().frames().size(), std::size_t(1));
    QCOMPARE(c.session.document().nodes().size(), std::size_t(5));

    c.scene.clearSelection();
    c.scene.annotationLayer()->select({frame});
    c.view.deleteSelection();
    QVERIFY(c.session.document().annotations().frames().empty());
    QCOMPARE(c.session.document().nodes().size(), std::size_t(5));
    c.session.undoStack()->undo();
    QCOMPARE(c.session.document().annotations().frames().size(), std::size_t(1));
    QVERIFY(c.scene.annotationLayer()->frameItem(frame));
  }
};

MG_TEST_MAIN(AnnotationsEditorTest)
#include "test_annotations_editor.moc"
