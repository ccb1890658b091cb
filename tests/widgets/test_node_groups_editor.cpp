// Node groups on the canvas, used as a person would (issue 16): select nodes and group them (Ctrl+G), the
// group stands in for them with the ports that cross its border, it drags as one, double-click opens it and
// its tab collapses it, Ctrl+Shift+G ungroups, every step undoes, and a group saved to the Library comes
// back as a group when dropped on the canvas.
#include "support/test_registry.h"
#include <QtTest>

#include <QTreeWidget>
#include <QUndoStack>

#include "editor/edge_item.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/group_item.h"
#include "editor/node_item.h"
#include "editor/port_item.h"
#include "canvas_fixture.h"
#include "editor_fixtures.h"
#include "graph/project_file.h"
#include "panels/library_panel.h"
#include "session/project_session.h"
#include "session/saved_groups.h"

using namespace mg;
using graph::NodeId;

namespace {

struct Canvas : test::Canvas {
  ui::GroupItem* onlyGroup() {
    const auto& groups = session.document().groups().all();
    return groups.size() == 1 ? scene.groupItem(groups.begin()->first) : nullptr;
  }
};

} // namespace

class NodeGroupsEditorTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void groupingCollapsesTheSelection() {
    Canvas c;
    test::SessionGraph g(c.session);
    const QString before = test::documentText(c.session);
    c.scene.selectNodes({g.a, g.b, g.merge});
    QTest::keyClick(&c.view, Qt::Key_G, Qt::ControlModifier);
    ui::GroupItem* group = c.onlyGroup();
    QVERIFY(group);
    QVERIFY(group->isCollapsed());
    QVERIFY(group->isSelected());
    for (const NodeId member : {g.a, g.b, g.merge})
      QVERIFY(!c.scene.nodeItem(member)->isVisible());
    QVERIFY(c.scene.nodeItem(g.base)->isVisible());
    // Its ports are the edges crossing the border: base → merge's base, merge → export.
    QCOMPARE(group->ports().size(), std::size_t(2));
    QVERIFY(!c.scene.edgeItem({g.merge, 1})->isVisible()); // a → merge is inside
    const ui::EdgeItem* in = c.scene.edgeItem({g.merge, 0});
    QVERIFY(in->isVisible());
    QCOMPARE(in->path().pointAtPercent(1.0), *group->inputAnchor(in->edge()));
    const ui::EdgeItem* out = c.scene.edgeItem({g.exporter, 0});
    QCOMPARE(out->path().pointAtPercent(0.0), *group->outputAnchor(out->edge()));
    // The selection is its nodes: what Copy, Delete or Run Selected act on.
    QCOMPARE(c.scene.selectedNodes(), (std::vector<NodeId>{g.a, g.b, g.merge}));

    // The engine's graph did not change: only the "groups" section is new.
    QString withoutGroups = test::documentText(c.session);
    withoutGroups.remove(QRegularExpression(QStringLiteral(",\\n  \"groups\": \\[[^\\]]*\\][^\\]]*\\]")));
    QCOMPARE(withoutGroups, before);

    c.session.undoStack()->undo();
    QVERIFY(c.session.document().groups().empty());
    QVERIFY(c.scene.nodeItem(g.merge)->isVisible());
    QVERIFY(c.scene.edgeItem({g.merge, 1})->isVisible());
    c.session.undoStack()->redo();
    QVERIFY(c.onlyGroup() && c.onlyGroup()->isCollapsed());
  }

  void aCollapsedGroupDragsAsOne() {
    Canvas c;
    test::SessionGraph g(c.session);
    MG_VERIFY_DONE(c.session.groupNodes({g.a, g.b}, QStringLiteral("pair")));
    const auto positionOf = [&](NodeId id) { return c.session.document().at(id).position; };
    const graph::Point a = positionOf(g.a), b = positionOf(g.b);
    const int steps = c.session.undoStack()->count();
    const QPointF grip = c.onlyGroup()->mapToScene(QPointF(60, 12)); // on its title
    c.drag(c.at(grip), c.at(grip + QPointF(200, 100)));
    QCOMPARE(c.session.undoStack()->count(), steps + 1); // one step
    QVERIFY(std::abs(positionOf(g.a).x - a.x - 200) < 25 && std::abs(positionOf(g.a).y - a.y - 100) < 25);
    QCOMPARE(positionOf(g.b).x - positionOf(g.a).x, b.x - a.x); // moved together
    c.session.undoStack()->undo();
    QCOMPARE(positionOf(g.a), a);
  }

  void doubleClickOpensAndTheTabCollapses() {
    Canvas c;
    test::SessionGraph g(c.session);
    c.session.moveNodes({{g.base, QPointF(-600, 0)}}); // not over the open group's title tab
    MG_VERIFY_DONE(c.session.groupNodes({g.a, g.b, g.merge}, QStringLiteral("Merges")));
    c.doubleClick(c.at(c.onlyGroup()->mapToScene(QPointF(60, 12))));
    ui::GroupItem* open = c.onlyGroup();
    QVERIFY(open && !open->isCollapsed());
    QVERIFY(c.scene.nodeItem(g.merge)->isVisible());
    QVERIFY(c.scene.edgeItem({g.merge, 1})->isVisible());
    // Open, its outline goes around the nodes: they are edited as any others.
    QVERIFY(open->sceneBoundingRect().contains(c.scene.nodeItem(g.merge)->sceneBoundingRect()));
    c.doubleClick(c.at(open->mapToScene(open->tabRect().center())));
    QVERIFY(c.onlyGroup() && c.onlyGroup()->isCollapsed());
    // Tab opens the selected group and collapses it again.
    c.scene.clearSelection();
    c.onlyGroup()->setSelected(true);
    QTest::keyClick(&c.view, Qt::Key_Tab);
    QVERIFY(c.onlyGroup() && !c.onlyGroup()->isCollapsed());
    c.scene.selectNodes({g.merge});
    QTest::keyClick(&c.view, Qt::Key_Tab);
    QVERIFY(c.onlyGroup() && c.onlyGroup()->isCollapsed());
    // Ctrl+Shift+G dissolves it, keeping the nodes.
    c.scene.clearSelection();
    c.onlyGroup()->setSelected(true);
    QTest::keyClick(&c.view, Qt::Key_G, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(c.session.document().groups().empty());
    QCOMPARE(c.session.document().nodes().size(), std::size_t(5));
  }

  void projectsReopenWithTheirGroups() {
    test::TempDir dir;
    const QString file = QString::fromStdString(dir.file("grouped.mgproj"));
    {
      Canvas c;
      test::SessionGraph g(c.session);
      MG_VERIFY_DONE(c.session.groupNodes({g.a, g.b}, QStringLiteral("pair")));
      MG_VERIFY_DONE(c.session.saveAs(file));
    }
    Canvas c;
    MG_VERIFY_DONE(c.session.load(file));
    QVERIFY(c.onlyGroup() && c.onlyGroup()->isCollapsed());
    QCOMPARE(c.onlyGroup()->group().title, std::string("pair"));
  }

  void aSavedGroupComesBackFromTheLibrary() {
    QDir(ui::savedGroupsFolder()).removeRecursively();
    Canvas c;
    test::SessionGraph g(c.session);
    MG_VERIFY_DONE(c.session.groupNodes({g.a, g.b, g.merge}, QStringLiteral("My merge")));
    c.scene.clearSelection();
    c.onlyGroup()->setSelected(true);
    QSignalSpy saved(&c.view, &ui::GraphView::groupSaved);
    c.view.saveGroupAction()->trigger();
    QCOMPARE(saved.count(), 1);
    const QString file = saved.at(0).at(0).toString();
    QCOMPARE(file, ui::savedGroupFile(QStringLiteral("My merge")));
    QVERIFY(QFileInfo::exists(file));

    // The Library lists it.
    ui::LibraryPanel library;
    const auto found = library.findChild<QTreeWidget*>(QStringLiteral("nodeTypeTree"))
                           ->findItems(QStringLiteral("My merge"), Qt::MatchRecursive);
    QCOMPARE(found.size(), 1);

    // Dropped into another project: its three nodes and inner edges, as a new collapsed group.
    Canvas other;
    QStringList errors;
    const auto ids = other.session.dropSources({file}, QPointF(400, 300), graph::kNoNode, &errors);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
    QCOMPARE(other.session.document().nodes().size(), std::size_t(3));
    QCOMPARE(other.session.document().edges().size(), std::size_t(2)); // a, b → merge
    QVERIFY(other.onlyGroup() && other.onlyGroup()->isCollapsed());
    QCOMPARE(other.onlyGroup()->group().title, std::string("My merge"));
    other.session.undoStack()->undo(); // one step
    QVERIFY(other.session.document().nodes().empty());
  }
};

MG_TEST_MAIN(NodeGroupsEditorTest)
#include "test_node_groups_editor.moc"
