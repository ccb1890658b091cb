// What the executor builds on: the dependency order of the nodes a target needs, and cache keys that
// change exactly downstream of an edit.
#include "support/test_registry.h"
#include <QtTest>

#include <algorithm>
#include <map>
#include <set>

#include "graph/cache_key.h"
#include "graph/topological_order.h"
#include "graph_fixtures.h"

using namespace mg::graph;
using mg::test::MergeGraph;

namespace {

// Every key of the document.
std::map<NodeId, CacheKey> keys(const Document& doc) {
  return cacheKeys(doc);
}

// The nodes whose key differs between two key sets.
std::set<NodeId> changed(const std::map<NodeId, CacheKey>& before, const std::map<NodeId, CacheKey>& after) {
  std::set<NodeId> out;
  for (const auto& [id, key] : after) {
    const auto it = before.find(id);
    if (it == before.end() || it->second != key) {
      out.insert(id);
    }
  }
  return out;
}

} // namespace

class ExecutionPlanTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void ordersDependenciesFirst() {
    MergeGraph g;
    // A second branch the export does not need.
    const NodeId other = g.doc.addNode("source.model");
    const NodeId scale = g.doc.addNode("op.scale");
    const NodeId subtract = g.doc.addNode("op.subtract");
    MG_VERIFY_OK(g.doc.connect({g.base, 0}, {subtract, 0}));
    MG_VERIFY_OK(g.doc.connect({other, 0}, {subtract, 1}));
    MG_VERIFY_OK(g.doc.connect({subtract, 0}, {scale, 0}));

    const auto order = topologicalOrder(g.doc, {g.exporter});
    QCOMPARE(order, (std::vector<NodeId>{g.base, g.a, g.b, g.merge, g.exporter}));
    QCOMPARE(topologicalOrder(g.doc, {scale}), (std::vector<NodeId>{g.base, other, subtract, scale}));
    const auto all = topologicalOrder(g.doc);
    QCOMPARE(all.size(), g.doc.nodes().size());
    for (const auto& edge : g.doc.edges()) {
      const auto position = [&](NodeId id) { return std::find(all.begin(), all.end(), id) - all.begin(); };
      QVERIFY(position(edge.from.node) < position(edge.to.node));
    }
    QCOMPARE(sinkNodes(g.doc), std::vector<NodeId>{g.exporter});
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, topologicalOrder(g.doc, {12345}));
  }

  void aCycleInAFileIsReported() {
    Document doc;
    const NodeId x = doc.addNode("op.scale");
    const NodeId y = doc.addNode("op.scale");
    MG_VERIFY_OK(doc.restoreEdge({{{x, 0}, {y, 0}}, 1.0}));
    MG_VERIFY_OK(doc.restoreEdge({{{y, 0}, {x, 0}}, 1.0}));
    try {
      topologicalOrder(doc);
      QFAIL("no exception");
    } catch (const std::invalid_argument& error) {
      MG_COMPARE_STR(error.what(), "the graph has a cycle through nodes 1, 2");
    }
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, cacheKeys(doc));
  }

  void keysChangeOnlyDownstreamOfAnEdit() {
    MergeGraph g;
    const NodeId scale = g.doc.addNode("op.scale");
    const NodeId subtract = g.doc.addNode("op.subtract");
    MG_VERIFY_OK(g.doc.connect({g.base, 0}, {subtract, 0}));
    MG_VERIFY_OK(g.doc.connect({g.a, 0}, {subtract, 1}));
    MG_VERIFY_OK(g.doc.connect({subtract, 0}, {scale, 0}));
    const auto start = keys(g.doc);
    QCOMPARE(keys(g.doc), start); // deterministic

    // A parameter of the merge: the merge and the export.
    MG_VERIFY_OK(g.doc.setParam(g.merge, "lambda", 0.5));
    auto now = keys(g.doc);
    QCOMPARE(changed(start, now), (std::set<NodeId>{g.merge, g.exporter}));
    // Setting it back gives back the old keys: the cache can hit again.
    MG_VERIFY_OK(g.doc.setParam(g.merge, "lambda", 1.0));
    QCOMPARE(keys(g.doc), start);

    // A source's path: everything downstream of it, on both branches.
    MG_VERIFY_OK(g.doc.setParam(g.a, "path", "/data/a2.safetensors"));
    now = keys(g.doc);
    QCOMPARE(changed(start, now), (std::set<NodeId>{g.a, g.merge, g.exporter, subtract, scale}));
    MG_VERIFY_OK(g.doc.setParam(g.a, "path", "/data/a.safetensors"));

    // An input weight.
    MG_VERIFY_OK(g.doc.setInputWeight(g.merge, 2, 0.75));
    QCOMPARE(changed(start, keys(g.doc)), (std::set<NodeId>{g.merge, g.exporter}));
    MG_VERIFY_OK(g.doc.setInputWeight(g.merge, 2, 0.5));

    // Titles and positions do not change outputs.
    g.doc.setTitle(g.merge, "renamed");
    g.doc.move(g.merge, {1000, 1000});
    QCOMPARE(keys(g.doc), start);

    // Rewiring: swapping the two models changes the merge (input order matters) but not the sources.
    const auto recordA = *g.doc.disconnect({g.merge, 1});
    MG_VERIFY_OK(g.doc.restoreEdge({{recordA.edge.from, {g.merge, 2}}, recordA.weight}));
    QCOMPARE(changed(start, keys(g.doc)), (std::set<NodeId>{g.merge, g.exporter}));
  }

  void keysAreStableAcrossRunsAndSalted() {
    Document doc;
    const NodeId source = doc.addNode("source.adapter");
    MG_VERIFY_OK(doc.setParam(source, "path", "/adapters/math"));
    const NodeId scale = doc.addNode("op.scale");
    MG_VERIFY_OK(doc.setParam(scale, "factor", 0.5));
    MG_VERIFY_OK(doc.connect({source, 0}, {scale, 0}));
    // Fixed values: a key must not depend on the run, the build or the machine (a change to how keys are
    // made must bump the key version, invalidating old caches on purpose).
    MG_COMPARE_STR(cacheKeyText(cacheKey(doc, source)), "aed4d65751f9de75");
    MG_COMPARE_STR(cacheKeyText(cacheKey(doc, scale)), "1391822d97deabdc");

    // A salt (e.g. the file's modification time) changes the salted node and its dependents.
    const KeySalt salt = [&](const Document&, NodeId id) { return id == source ? "mtime=1" : ""; };
    const auto salted = cacheKeys(doc, {}, salt);
    QVERIFY(salted.at(source) != cacheKey(doc, source));
    QVERIFY(salted.at(scale) != cacheKey(doc, scale));
    QCOMPARE(cacheKeys(doc, {source}).size(), std::size_t(1)); // only what the target needs
  }
};

MG_TEST_APPLESS_MAIN(ExecutionPlanTest)
#include "test_execution_plan.moc"
