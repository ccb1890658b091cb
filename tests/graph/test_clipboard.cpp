// Copy and paste: a subset with its internal edges, fresh ids, the offset, variadic groups closed up with
// their weights, pasting across documents, and text that is not a copy.
#include "support/test_registry.h"
#include <QtTest>

#include "graph/clipboard.h"
#include "graph_fixtures.h"
#include "io/io_error.h"

using namespace mg::graph;
using mg::test::MergeGraph;

class ClipboardTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void pastesFreshNodesWithTheirInternalEdges() {
    MergeGraph g;
    MG_VERIFY_OK(g.doc.setParam(g.merge, "lambda", 0.4));
    const std::string text = copyNodes(g.doc, {g.b, g.merge, 999}); // 999 does not exist: skipped
    const std::size_t before = g.doc.nodes().size();
    const auto added = pasteNodes(g.doc, text, {30, 40});
    QCOMPARE(added.size(), std::size_t(2));
    QCOMPARE(g.doc.nodes().size(), before + 2);
    const NodeId b2 = added[0];
    const NodeId merge2 = added[1];
    QVERIFY(b2 > g.exporter && merge2 > b2); // fresh ids
    QCOMPARE(g.doc.at(b2).position, (Point{30, 240}));
    QCOMPARE(g.doc.at(merge2).position, (Point{230, 140}));
    QCOMPARE(*g.doc.param(merge2, "lambda"), ParamValue(0.4));
    QCOMPARE(*g.doc.param(b2, "path"), ParamValue("/data/b.safetensors")); // paths stay absolute
    // Only the edge between copied nodes came along; b fed "models 2" with weight 0.5 and is now the
    // first and only model input of the copy.
    const auto into = g.doc.edgesInto(merge2);
    QCOMPARE(into.size(), std::size_t(1));
    QCOMPARE(into[0].from, (PortRef{b2, 0}));
    QCOMPARE(into[0].to, (PortRef{merge2, 1}));
    QCOMPARE(g.doc.at(merge2).weights, std::vector<double>{0.5});
    QCOMPARE(g.doc.inputCount(merge2), std::size_t(3)); // base, models 1, the free one
    QVERIFY(g.doc.edgesFrom(merge2).empty());           // the export was not copied
    // The original is untouched.
    QCOMPARE(g.doc.variadicConnected(g.merge), std::size_t(2));
  }

  void pastesIntoAnotherDocument() {
    MergeGraph g;
    const std::string text = copyNodes(g.doc, g.doc.nodeIds());
    Document other;
    const NodeId existing = other.addNode("op.scale");
    const auto added = pasteNodes(other, text, {});
    QCOMPARE(added.size(), g.doc.nodes().size());
    QVERIFY(added.front() > existing);
    QCOMPARE(other.edges().size(), g.doc.edges().size());
    QCOMPARE(other.at(added[3]).weights, g.doc.at(g.merge).weights);
    // Pasting twice gives two independent copies.
    pasteNodes(other, text, {0, 500});
    QCOMPARE(other.nodes().size(), 1 + 2 * g.doc.nodes().size());
  }

  void badTextChangesNothing() {
    Document doc;
    doc.addNode("op.scale");
    QVERIFY_THROWS_EXCEPTION(mg::io::IoError, pasteNodes(doc, "not json", {}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             pasteNodes(doc, R"({"format": "merganser-project", "version": 1})", {}));
    // A valid first node and a broken edge: nothing is added.
    const std::string broken = R"({"format": "merganser-nodes", "version": 1, "nodes": [{"id": 1,
      "type": "op.scale"}], "edges": [{"from": [1, 0], "to": [2, 0]}]})";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, pasteNodes(doc, broken, {}));
    QCOMPARE(doc.nodes().size(), std::size_t(1));
  }
};

MG_TEST_APPLESS_MAIN(ClipboardTest)
#include "test_clipboard.moc"
