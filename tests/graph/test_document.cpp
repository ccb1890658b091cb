// Document operations: adding, connecting and its refusals, variadic inputs, removal rules and their
// undo, parameters and weights, and change notifications.
#include "support/test_registry.h"
#include <QtTest>

#include "graph/document.h"
#include "graph_fixtures.h"

using namespace mg::graph;
using mg::test::MergeGraph;

namespace {

// Records notifications as short strings.
class Recorder : public DocumentObserver {
public:
  std::vector<std::string> calls;
  void nodeAdded(NodeId n) override { calls.push_back("node+ " + std::to_string(n)); }
  void nodeRemoved(NodeId n) override { calls.push_back("node- " + std::to_string(n)); }
  void edgeAdded(const Edge& e) override { calls.push_back("edge+ " + text(e)); }
  void edgeRemoved(const Edge& e) override { calls.push_back("edge- " + text(e)); }
  void inputsChanged(NodeId n) override { calls.push_back("inputs " + std::to_string(n)); }
  void paramChanged(NodeId n, const std::string& p) override {
    calls.push_back("param " + std::to_string(n) + " " + p);
  }
  void inputWeightChanged(NodeId n, std::size_t i) override {
    calls.push_back("weight " + std::to_string(n) + ":" + std::to_string(i));
  }
  void nodeMoved(NodeId n) override { calls.push_back("moved " + std::to_string(n)); }
  void titleChanged(NodeId n) override { calls.push_back("title " + std::to_string(n)); }
  void documentReset() override { calls.push_back("reset"); }

  static std::string text(const Edge& e) {
    return std::to_string(e.from.node) + ":" + std::to_string(e.from.port) + ">" + std::to_string(e.to.node) +
           ":" + std::to_string(e.to.port);
  }
};

// The edges and weights of a document, for exact before/after comparisons.
std::string snapshot(const Document& doc) {
  std::string text;
  for (const auto& [id, node] : doc.nodes()) {
    text += std::to_string(id) + " " + node.type + " w[";
    for (const double w : node.weights) {
      text += std::to_string(w) + ",";
    }
    text += "]\n";
  }
  for (const auto& e : doc.edges()) {
    text += Recorder::text(e) + "\n";
  }
  return text;
}

} // namespace

class DocumentTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void addNodeTakesDefaultsAndFreshIds() {
    Document doc;
    const NodeId ties = doc.addNode("merge.ties", {10.5, -3});
    const Node& node = doc.at(ties);
    QCOMPARE(node.title, std::string("TIES"));
    QCOMPARE(node.position, (Point{10.5, -3}));
    QCOMPARE(*doc.param(ties, "lambda"), ParamValue(1.0));
    QCOMPARE(*doc.param(ties, "density"), ParamValue::array({1.0}));
    QCOMPARE(doc.inputCount(ties), std::size_t(2)); // base + one free model input
    QCOMPARE(doc.outputCount(ties), std::size_t(1));
    MG_COMPARE_STR(doc.inputLabel(ties, 0), "base");
    MG_COMPARE_STR(doc.inputLabel(ties, 1), "models 1");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, doc.addNode("merge.nonsense"));

    // Ids are never reused, not even the last one after its removal.
    const NodeId second = doc.addNode("source.model");
    doc.removeNode(second);
    const NodeId third = doc.addNode("source.model");
    QVERIFY(third > second);
    QVERIFY(second > ties);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, doc.removeNode(second));
  }

  void connectRefusesTypeMismatch() {
    Document doc;
    const NodeId tasks = doc.addNode("source.tasks");
    const NodeId model = doc.addNode("source.model");
    const NodeId ties = doc.addNode("merge.ties");
    const NodeId scale = doc.addNode("op.scale");
    MG_VERIFY_REFUSED(doc.checkConnection({tasks, 0}, {ties, 1}),
                      "a tasks cannot feed the model input 'models 1' of 'TIES'");
    MG_VERIFY_REFUSED(doc.connect({model, 0}, {scale, 0}), "a model cannot feed the delta input 'delta'");
    MG_VERIFY_REFUSED(doc.connect({model, 1}, {ties, 1}), "'Model' has no output 2");
    MG_VERIFY_REFUSED(doc.connect({model, 0}, {ties, 2}), "'TIES' has no input 3"); // beyond the free one
    MG_VERIFY_REFUSED(doc.connect({model, 0}, {99, 0}), "there is no node 99");
    QVERIFY(doc.edges().empty());
    // An adapter stands for base + delta on a model input, and for its delta on a delta input.
    const NodeId adapter = doc.addNode("source.adapter");
    MG_VERIFY_OK(doc.connect({adapter, 0}, {ties, 1}));
    MG_VERIFY_OK(doc.connect({adapter, 0}, {scale, 0})); // an output feeds any number of inputs
  }

  void connectRefusesTakenInputAndCycles() {
    MergeGraph g;
    MG_VERIFY_REFUSED(g.doc.connect({g.a, 0}, {g.merge, 0}), "input 'base' of 'TIES' is already connected");
    MG_VERIFY_REFUSED(g.doc.connect({g.b, 0}, {g.merge, 1}),
                      "input 'models 1' of 'TIES' is already connected");
    const NodeId second = g.doc.addNode("merge.linear");
    MG_VERIFY_OK(g.doc.connect({g.merge, 0}, {second, 1}));
    MG_VERIFY_REFUSED(g.doc.connect({second, 0}, {g.merge, 3}), "would make a cycle");
    MG_VERIFY_REFUSED(g.doc.connect({second, 0}, {second, 2}), "would make a cycle"); // itself
    QVERIFY(g.doc.reaches(g.base, second));
    QVERIFY(!g.doc.reaches(second, g.base));
  }

  void variadicInputsGrowAndCloseUp() {
    Document doc;
    const NodeId merge = doc.addNode("merge.task_arithmetic");
    std::vector<NodeId> models;
    for (int i = 0; i < 4; ++i) {
      models.push_back(doc.addNode("source.model"));
    }
    for (std::size_t i = 0; i < models.size(); ++i) {
      QCOMPARE(doc.inputCount(merge), 2 + i); // one free input after the connected ones
      const auto target = doc.dropTarget(merge, PortType::Model);
      QCOMPARE(target, std::optional<std::size_t>(1 + i));
      MG_VERIFY_OK(doc.connect({models[i], 0}, {merge, *target}, 0.1 * double(i + 1)));
    }
    QCOMPARE(doc.inputCount(merge), std::size_t(6));
    QCOMPARE(doc.variadicConnected(merge), std::size_t(4));
    QCOMPARE(doc.at(merge).weights, (std::vector<double>{0.1, 0.2, 0.30000000000000004, 0.4}));

    // Disconnecting "models 2" moves models 3 and 4 down, each with its weight.
    Recorder recorder;
    doc.addObserver(&recorder);
    const auto removed = doc.disconnect({merge, 2});
    QVERIFY(removed);
    QCOMPARE(removed->edge.from.node, models[1]);
    QCOMPARE(removed->weight, 0.2);
    QCOMPARE(doc.inputCount(merge), std::size_t(5));
    QCOMPARE(doc.source({merge, 2})->node, models[2]);
    QCOMPARE(doc.source({merge, 3})->node, models[3]);
    QVERIFY(!doc.source({merge, 4}));
    QCOMPARE(doc.inputWeight(merge, 2), std::optional<double>(0.30000000000000004));
    QCOMPARE(doc.inputWeight(merge, 4), std::nullopt); // the free input has no weight
    const std::vector<std::string> expected = {"edge- 3:0>1:2", "edge- 4:0>1:3", "edge+ 4:0>1:2",
                                               "edge- 5:0>1:4", "edge+ 5:0>1:3", "inputs 1"};
    QCOMPARE(recorder.calls, expected);

    // Putting the record back restores the order and the weights.
    recorder.calls.clear();
    MG_VERIFY_OK(doc.restoreEdge(*removed));
    QCOMPARE(doc.source({merge, 2})->node, models[1]);
    QCOMPARE(doc.at(merge).weights, (std::vector<double>{0.1, 0.2, 0.30000000000000004, 0.4}));
    QCOMPARE(recorder.calls.back(), std::string("inputs 1"));
    doc.removeObserver(&recorder);
    QVERIFY(!doc.disconnect({merge, 5}));
  }

  void variadicGroupStopsAtItsMaximum() {
    Document doc;
    const NodeId slerp = doc.addNode("merge.slerp"); // exactly 2 inputs
    const NodeId x = doc.addNode("source.model");
    const NodeId y = doc.addNode("source.model");
    MG_VERIFY_OK(doc.connect({x, 0}, {slerp, 1}));
    MG_VERIFY_OK(doc.connect({y, 0}, {slerp, 2}));
    QCOMPARE(doc.inputCount(slerp), std::size_t(3)); // base + 2, no free input
    QCOMPARE(doc.dropTarget(slerp, PortType::Model), std::optional<std::size_t>(0)); // the base is free
    QCOMPARE(doc.inputWeight(slerp, 1), std::nullopt);                               // slerp takes no weights
    QVERIFY(doc.at(slerp).weights.empty());
  }

  void removeNodeRulesAndUndo() {
    MergeGraph g;
    const NodeId c = g.doc.addNode("source.model");
    MG_VERIFY_OK(g.doc.connect({c, 0}, {g.merge, 3}, 2.0));
    const std::string before = snapshot(g.doc);

    // Removing a model feeding the merge: its edges go, the later inputs move down with their weights.
    RemovedNode removed = g.doc.removeNode(g.a);
    QVERIFY(!g.doc.contains(g.a));
    QCOMPARE(g.doc.variadicConnected(g.merge), std::size_t(2));
    QCOMPARE(g.doc.source({g.merge, 1})->node, g.b);
    QCOMPARE(g.doc.source({g.merge, 2})->node, c);
    QCOMPARE(g.doc.at(g.merge).weights, (std::vector<double>{0.5, 2.0}));
    // Removing the merge: edges in and out go; the export's input is free again.
    RemovedNode removedMerge = g.doc.removeNode(g.merge);
    QVERIFY(g.doc.edges().empty());
    QVERIFY(!g.doc.source({g.exporter, 0}));
    QCOMPARE(removedMerge.edges.size(), std::size_t(4));

    // Undo in reverse order restores the document exactly.
    g.doc.restoreNode(removedMerge);
    g.doc.restoreNode(removed);
    MG_COMPARE_STR(snapshot(g.doc), before);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, g.doc.restoreNode(removed)); // the id is in use
  }

  void removingANodeFeedingSeveralInputsOfOneGroup() {
    Document doc;
    const NodeId merge = doc.addNode("merge.linear");
    const NodeId x = doc.addNode("source.model");
    const NodeId y = doc.addNode("source.model");
    MG_VERIFY_OK(doc.connect({x, 0}, {merge, 1}, 1.0));
    MG_VERIFY_OK(doc.connect({y, 0}, {merge, 2}, 2.0));
    MG_VERIFY_OK(doc.connect({x, 0}, {merge, 3}, 3.0));
    const std::string before = snapshot(doc);
    const auto removed = doc.removeNode(x);
    QCOMPARE(doc.variadicConnected(merge), std::size_t(1));
    QCOMPARE(doc.at(merge).weights, std::vector<double>{2.0});
    doc.restoreNode(removed);
    MG_COMPARE_STR(snapshot(doc), before);
  }

  void parametersAreCheckedAgainstTheSchema() {
    MergeGraph g;
    MG_VERIFY_OK(g.doc.setParam(g.merge, "lambda", 0.7));
    QCOMPARE(*g.doc.param(g.merge, "lambda"), ParamValue(0.7));
    MG_VERIFY_OK(g.doc.setParam(g.merge, "density", 0.4)); // one number for a list
    QCOMPARE(*g.doc.param(g.merge, "density"), ParamValue::array({0.4}));
    MG_VERIFY_REFUSED(g.doc.setParam(g.merge, "density", 1.5), "density must be in (0, 1], got 1.5");
    MG_VERIFY_REFUSED(g.doc.setParam(g.merge, "density", ParamValue::array({0.5, 0.0})), "(0, 1], got 0.0");
    MG_VERIFY_REFUSED(g.doc.setParam(g.merge, "lambda", "big"), "lambda must be a number");
    MG_VERIFY_REFUSED(g.doc.setParam(g.merge, "consensus", "majority"), "one of none | sum | count_peft");
    MG_VERIFY_REFUSED(g.doc.setParam(g.merge, "t", 0.5), "'TIES' has no parameter 't'");
    MG_VERIFY_REFUSED(g.doc.setParam(42, "t", 0.5), "there is no node 42");
    QCOMPARE(*g.doc.param(g.merge, "density"), ParamValue::array({0.4})); // refusals change nothing
    MG_VERIFY_OK(g.doc.setParam(g.exporter, "dtype", "bf16"));
    MG_VERIFY_REFUSED(g.doc.setParam(g.exporter, "dtype", "int4"), "dtype must be one of auto | f32");
  }

  void weightsTitlesAndPositions() {
    MergeGraph g;
    Recorder recorder;
    g.doc.addObserver(&recorder);
    MG_VERIFY_OK(g.doc.setInputWeight(g.merge, 1, -0.5)); // negative weights subtract a task
    QCOMPARE(g.doc.inputWeight(g.merge, 1), std::optional<double>(-0.5));
    MG_VERIFY_REFUSED(g.doc.setInputWeight(g.merge, 0, 1.0), "has no weight"); // the base
    MG_VERIFY_REFUSED(g.doc.setInputWeight(g.merge, 3, 1.0), "has no weight"); // the free input
    MG_VERIFY_REFUSED(g.doc.setInputWeight(g.merge, 1, std::nan("")), "finite");
    g.doc.move(g.merge, {5, 6});
    g.doc.move(g.merge, {5, 6}); // no change, no notification
    g.doc.setTitle(g.merge, "TIES, λ = 1");
    MG_VERIFY_OK(g.doc.setParam(g.merge, "lambda", 1.0)); // unchanged value: no notification
    MG_VERIFY_OK(g.doc.setParam(g.merge, "lambda", 0.5));
    const std::vector<std::string> expected = {"weight 4:1", "moved 4", "title 4", "param 4 lambda"};
    QCOMPARE(recorder.calls, expected);
    g.doc.removeObserver(&recorder);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, g.doc.move(77, {}));
  }

  void notificationsOfAddAndRemove() {
    MergeGraph g;
    Recorder recorder;
    g.doc.addObserver(&recorder);
    g.doc.removeNode(g.a);
    const std::vector<std::string> expected = {"edge- 2:0>4:1", "edge- 3:0>4:2", "edge+ 3:0>4:1", "inputs 4",
                                               "node- 2"};
    QCOMPARE(recorder.calls, expected);
    recorder.calls.clear();
    const NodeId id = g.doc.addNode("op.scale");
    QCOMPARE(recorder.calls, std::vector<std::string>{"node+ " + std::to_string(id)});

    // Copies do not carry observers; assignment keeps the target's and resets them.
    Document copy = g.doc;
    copy.addNode("op.scale");
    QCOMPARE(recorder.calls.size(), std::size_t(1));
    g.doc = copy;
    QCOMPARE(recorder.calls.back(), std::string("reset"));
    QCOMPARE(g.doc.nodes().size(), copy.nodes().size());
    g.doc.removeObserver(&recorder);
  }

  void dropTargetsFollowTheTypes() {
    MergeGraph g;
    // Dropping an adapter onto the merge connects it to the free model input.
    QCOMPARE(g.doc.dropTarget(g.merge, PortType::Adapter), std::optional<std::size_t>(3));
    QCOMPARE(g.doc.dropTarget(g.merge, PortType::Tasks), std::nullopt);
    const NodeId evaluate = g.doc.addNode("sink.evaluate");
    QCOMPARE(g.doc.dropTarget(evaluate, PortType::Tasks), std::optional<std::size_t>(1));
    QCOMPARE(g.doc.dropTarget(evaluate, PortType::Model), std::optional<std::size_t>(0));
  }
};

MG_TEST_APPLESS_MAIN(DocumentTest)
#include "test_document.moc"
