// A graph a person can read (issue 16): numbers in node summaries as people write them and in the locale's
// spelling, titles legible when zoomed far out, the minimap never hiding nodes, wires of the selected node in
// front of the rest.
#include "support/test_registry.h"
#include <QtTest>

#include "editor/edge_item.h"
#include "editor/editor_style.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/minimap.h"
#include "editor/node_item.h"
#include "canvas_fixture.h"
#include "editor_fixtures.h"
#include "graph/builtin_node_types.h"
#include "session/project_session.h"

using namespace mg;
using graph::NodeId;

namespace {

// Light: the text checks below look for dark text on white nodes.
struct Canvas : test::Canvas {
  Canvas() : test::Canvas({1000, 700}) { scene.setStyle(ui::EditorStyle::light()); }
};

// The longest run of consecutive pixel rows inside `rect` that hold dark grey (text) pixels: the height of
// the tallest line of text there.
int tallestTextLine(const QImage& image, const QRect& rect) {
  int longest = 0, run = 0;
  for (int y = rect.top(); y <= rect.bottom(); ++y) {
    bool text = false;
    for (int x = rect.left(); x <= rect.right() && !text; ++x) {
      const QColor c = image.pixelColor(x, y);
      const int high = std::max({c.red(), c.green(), c.blue()});
      const int low = std::min({c.red(), c.green(), c.blue()});
      text = high < 110 && high - low < 30;
    }
    run = text ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

} // namespace

class CanvasReadabilityTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void summariesPrintNumbersAsPeopleWriteThem() {
    QLocale::setDefault(QLocale::c());
    Canvas c;
    test::SessionGraph g(c.session);
    MG_VERIFY_DONE(c.session.setParam(g.merge, "lambda", graph::ParamValue(1.0 / 3.0)));
    MG_VERIFY_DONE(c.session.setInputWeight(g.merge, 1, 0.7071067811865476));
    const ui::NodeItem* merge = c.scene.nodeItem(g.merge);
    QVERIFY2(merge->summary().contains(QStringLiteral("lambda 1/3")), qPrintable(merge->summary()));
    QVERIFY2(merge->inputLabels().join(QLatin1Char('|')).contains(QStringLiteral("×0.707")),
             qPrintable(merge->inputLabels().join(QLatin1Char('|'))));
    QVERIFY(merge->inputLabels().join(QLatin1Char('|')).contains(QStringLiteral("×0.5")));

    // Under German, a decimal comma.
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    MG_VERIFY_DONE(c.session.setParam(g.merge, "lambda", graph::ParamValue(0.25)));
    QVERIFY2(merge->summary().contains(QStringLiteral("lambda 0,25")), qPrintable(merge->summary()));
    QLocale::setDefault(QLocale::c());
  }

  void titlesStayLegibleFarOut() {
    Canvas c;
    const NodeId node = c.session.addNode(graph::node_types::kExport, {0, 0}, {});
    c.view.zoomBy(0.35 / c.view.zoom());
    c.view.centerOn(c.scene.nodeItem(node)->sceneBoundingRect().center());
    const QImage image = c.view.viewport()->grab().toImage();
    const QRect box = c.view.mapFromScene(c.scene.nodeItem(node)->sceneBoundingRect()).boundingRect();
    // At zoom 0.35 the normal 9.5 pt title would be 4-5 pixels tall; the overview draws it about 15.
    const int line = tallestTextLine(image, box.adjusted(4, 4, -4, -4));
    QVERIFY2(line >= 9, qPrintable(QStringLiteral("tallest text line %1 px").arg(line)));

    // Near, the node draws its details: no line of text that tall.
    c.view.zoomBy(1.0 / c.view.zoom());
    c.view.centerOn(c.scene.nodeItem(node)->sceneBoundingRect().center());
    const QImage near = c.view.viewport()->grab().toImage();
    const QRect nearBox = c.view.mapFromScene(c.scene.nodeItem(node)->sceneBoundingRect()).boundingRect();
    QVERIFY(tallestTextLine(near, nearBox.adjusted(4, 4, -4, -4)) < 15);
  }

  void theMinimapNeverHidesNodes() {
    Canvas c;
    ui::Minimap* minimap = c.view.minimap();
    const NodeId node = c.session.addNode(graph::node_types::kExport, {0, 0}, {});
    QTest::qWait(20);
    const auto underMinimap = [&](NodeId id) {
      const QRect onScreen = c.view.mapFromScene(c.scene.nodeItem(id)->sceneBoundingRect()).boundingRect();
      return QRect(c.view.viewport()->mapFrom(&c.view, minimap->pos()), minimap->size()).intersects(onScreen);
    };
    // Move the view so that the node sits in the bottom-right corner, where the minimap lives.
    const QPointF corner = c.view.mapToScene(c.view.viewport()->rect().bottomRight() - QPoint(110, 60));
    const QPointF shift = corner - c.scene.nodeItem(node)->sceneBoundingRect().center();
    c.view.centerOn(c.view.mapToScene(c.view.viewport()->rect().center()) - shift);
    QTest::qWait(20);
    QVERIFY(!underMinimap(node));
    QVERIFY(!minimap->isFaded());
    QVERIFY(minimap->isVisible());

    // Nodes in all four corners: it stays and fades.
    const QRect r = c.view.viewport()->rect();
    for (const QPoint p : {r.topLeft() + QPoint(110, 60), r.topRight() + QPoint(-110, 60),
                           r.bottomLeft() + QPoint(110, -60), r.bottomRight() + QPoint(-110, -60)}) {
      const NodeId id = c.session.addNode(graph::node_types::kExport, {0, 0}, {});
      const QPointF to = c.view.mapToScene(p) - c.scene.nodeItem(id)->boundingRect().center();
      c.session.moveNodes({{id, to}});
    }
    QTest::qWait(20);
    QVERIFY(minimap->isFaded());
  }

  void wiresOfTheSelectedNodeStandOut() {
    Canvas c;
    test::SessionGraph g(c.session);
    c.view.fitAll();
    // The middle of the wire a → TIES, which does not touch the export node.
    const ui::EdgeItem* wire = c.scene.edgeItem({g.merge, 1});
    const QPoint middle = c.view.mapFromScene(wire->path().pointAtPercent(0.5));
    const auto strength = [&] {
      const QColor pixel = c.view.viewport()->grab().toImage().pixelColor(middle);
      const QColor background = c.scene.style().background;
      return std::abs(pixel.red() - background.red()) + std::abs(pixel.green() - background.green()) +
             std::abs(pixel.blue() - background.blue());
    };
    const int alone = strength();
    QVERIFY(alone > 100);
    c.scene.selectNodes({g.exporter});
    const int faded = strength();
    QVERIFY2(faded < alone / 2, qPrintable(QStringLiteral("%1 -> %2").arg(alone).arg(faded)));
    c.scene.selectNodes({g.merge}); // it feeds the selected node: in front again
    QCOMPARE(strength(), alone);
  }
};

MG_TEST_MAIN(CanvasReadabilityTest)
#include "test_canvas_readability.moc"
