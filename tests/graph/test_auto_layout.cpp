// Auto-layout: data flows left to right (sources, then merges, then sinks), inputs of one node keep their
// order top to bottom, nodes never overlap, and a cycle a file may hold does not hang it.
#include "support/test_registry.h"
#include <QtTest>

#include <cmath>
#include <map>

#include "graph/auto_layout.h"
#include "graph_fixtures.h"

using namespace mg::graph;
using mg::test::MergeGraph;

class AutoLayoutTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void sourcesLeftOfMergesLeftOfSinks() {
    MergeGraph g;
    // Scramble the positions: the layout must not depend on them for the columns.
    for (const NodeId id : g.doc.nodeIds())
      g.doc.move(id, Point{double(1000 - 100 * id), double(37 * id % 5)});
    const auto pos = autoLayout(g.doc);
    QCOMPARE(pos.size(), g.doc.nodes().size());
    for (const NodeId source : {g.base, g.a, g.b}) {
      QCOMPARE(pos.at(source).x, pos.at(g.base).x);
      QVERIFY(pos.at(source).x < pos.at(g.merge).x);
    }
    QVERIFY(pos.at(g.merge).x < pos.at(g.exporter).x);
  }

  void inputsKeepTheirOrderTopToBottom() {
    MergeGraph g;
    // Put the sources in the reverse vertical order of the inputs they feed.
    g.doc.move(g.base, {0, 400});
    g.doc.move(g.b, {0, 0});
    const auto pos = autoLayout(g.doc);
    QVERIFY(pos.at(g.base).y < pos.at(g.a).y);
    QVERIFY(pos.at(g.a).y < pos.at(g.b).y);
  }

  void nodesOfOneColumnDoNotOverlap() {
    MergeGraph g;
    LayoutOptions options;
    options.nodeSize = [](NodeId id) { return LayoutSize{150.0 + double(id), 80.0 + 10.0 * double(id)}; };
    options.origin = {10, 20};
    const auto pos = autoLayout(g.doc, options);
    const auto bottom = [&](NodeId id) { return pos.at(id).y + options.nodeSize(id).height; };
    QVERIFY(bottom(g.base) + options.rowGap <= pos.at(g.a).y + 1e-9);
    QVERIFY(bottom(g.a) + options.rowGap <= pos.at(g.b).y + 1e-9);
    // The next column starts after the widest node of the sources' column.
    QVERIFY(pos.at(g.merge).x >= 10 + options.nodeSize(g.b).width + options.columnGap - 1e-9);
    QCOMPARE(pos.at(g.base).x, 10.0);
  }

  void crossingEdgesAreUntangled() {
    // Two chains a→x, b→y with x above y but a below b: the layout puts a above b.
    Document doc;
    const NodeId a = doc.addNode(node_types::kSourceAdapter, {0, 300});
    const NodeId b = doc.addNode(node_types::kSourceAdapter, {0, 0});
    const NodeId x = doc.addNode(node_types::kScale, {300, 0});
    const NodeId y = doc.addNode(node_types::kScale, {300, 300});
    MG_VERIFY_OK(doc.connect({a, 0}, {x, 0}));
    MG_VERIFY_OK(doc.connect({b, 0}, {y, 0}));
    const auto pos = autoLayout(doc);
    QCOMPARE(pos.at(a).y < pos.at(b).y, pos.at(x).y < pos.at(y).y);
  }

  void aWideFanIsWrappedIntoColumnsThatDoNotOverlap() {
    // One source feeding twenty nodes: one layer of twenty, wrapped into three columns of at most seven.
    Document doc;
    const NodeId source = doc.addNode(node_types::kSourceAdapter);
    std::vector<NodeId> fan;
    for (int i = 0; i < 20; ++i) {
      fan.push_back(doc.addNode(node_types::kScale));
      MG_VERIFY_OK(doc.connect({source, 0}, {fan.back(), 0}));
    }
    LayoutOptions options;
    const auto pos = autoLayout(doc, options);
    std::map<double, int> perColumn;
    for (const NodeId id : fan) {
      QVERIFY(pos.at(id).x > pos.at(source).x);
      ++perColumn[pos.at(id).x];
    }
    QCOMPARE(perColumn.size(), std::size_t(3));
    for (const auto& [x, count] : perColumn)
      QVERIFY(count <= 7 && count >= 6); // balanced
    const LayoutSize size;
    for (const NodeId a : fan)
      for (const NodeId b : fan)
        if (a != b && pos.at(a).x == pos.at(b).x) QVERIFY(std::abs(pos.at(a).y - pos.at(b).y) >= size.height);
    options.maxColumnNodes = 0; // never wrapped
    const auto tall = autoLayout(doc, options);
    for (const NodeId id : fan)
      QCOMPARE(tall.at(id).x, tall.at(fan.front()).x);
  }

  void sinksThatFeedNothingGoLast() {
    // An export straight off a source sits in the last column with the export of the merge, not beside the
    // merge.
    MergeGraph g;
    const NodeId early = g.doc.addNode(node_types::kExport);
    MG_VERIFY_OK(g.doc.connect({g.a, 0}, {early, 0}));
    const auto pos = autoLayout(g.doc);
    QCOMPARE(pos.at(early).x, pos.at(g.exporter).x);
    QVERIFY(pos.at(early).x > pos.at(g.merge).x);
  }

  void emptyDocumentGivesNothing() {
    Document doc;
    QVERIFY(autoLayout(doc).empty());
  }
};

MG_TEST_APPLESS_MAIN(AutoLayoutTest)
#include "test_auto_layout.moc"
