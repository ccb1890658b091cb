// What a run says when something goes wrong beyond an ordinary node error: a runner that throws something
// other than a std::exception fails its node, an event callback that throws fails the run (never
// "cancelled") and run() still returns, a type marked not runnable says why before it runs, and a type with
// no runner fails with a clear message.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/ATen.h>

#include <limits>
#include <new>
#include <stdexcept>

#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "graph/document.h"
#include "graph/node_type_registry.h"
#include "graph/validation.h"
#include "support/temp_dir.h"

using namespace mg;
using engine::NodeState;
using graph::NodeId;

namespace {

// Node types only these tests know, in a registry of their own (the application's stays as shipped).
constexpr const char* kThrowsInt = "test.run_failures.throws_int";
constexpr const char* kSucceeds = "test.run_failures.succeeds";
constexpr const char* kNoRunner = "test.run_failures.no_runner";
constexpr const char* kNotRunnable = "test.run_failures.not_runnable";
constexpr const char* kReason = "needs a device this version cannot drive";
constexpr const char* kNonFinite = "test.run_failures.non_finite";
constexpr const char* kTorchOutOfMemory = "test.run_failures.torch_out_of_memory";
constexpr const char* kBadAlloc = "test.run_failures.bad_alloc";
constexpr const char* kScores = "test.run_failures.scores";

// A sink's scores of one task, as an Evaluate node hands them to the charts.
engine::NodeOutputs scoresOutputs(double accuracy, double loss) {
  eval::TaskScore score;
  score.task = "shirts";
  score.examples = 10;
  score.accuracy = accuracy;
  score.loss = loss;
  engine::ScoresValue value;
  value.scores = std::make_shared<const std::vector<eval::TaskScore>>(std::vector<eval::TaskScore>{score});
  value.model = "merged";
  engine::NodeOutputs outputs;
  outputs.results.push_back(value);
  return outputs;
}

graph::NodeType sink(const char* id, const char* title) {
  graph::NodeType type;
  type.id = id;
  type.title = title;
  type.category = "Sinks";
  type.sink = true;
  return type;
}

const graph::NodeTypeRegistry& testTypes() {
  static graph::NodeTypeRegistry registry;
  static const bool filled = [] {
    registry.registerType(sink(kThrowsInt, "Throws an int"));
    registry.registerType(sink(kSucceeds, "Succeeds"));
    registry.registerType(sink(kNoRunner, "No runner"));
    auto notRunnable = sink(kNotRunnable, "Not runnable");
    notRunnable.notRunnable = kReason;
    registry.registerType(std::move(notRunnable));
    auto& runners = engine::NodeRunnerRegistry::instance();
    runners.add(kThrowsInt, [](engine::NodeRunContext&) -> engine::NodeOutputs { throw 42; });
    runners.add(kSucceeds, [](engine::NodeRunContext&) { return engine::NodeOutputs{}; });
    for (const char* id : {kNonFinite, kTorchOutOfMemory, kBadAlloc, kScores})
      registry.registerType(sink(id, id));
    runners.add(kNonFinite, [](engine::NodeRunContext&) {
      return scoresOutputs(0.5, std::numeric_limits<double>::quiet_NaN());
    });
    runners.add(kTorchOutOfMemory, [](engine::NodeRunContext&) -> engine::NodeOutputs {
      const at::Tensor huge = at::empty({std::int64_t(1) << 50}); // 4 PiB of float
      (void)huge;
      return {};
    });
    runners.add(kBadAlloc, [](engine::NodeRunContext&) -> engine::NodeOutputs { throw std::bad_alloc(); });
    runners.add(kScores, [](engine::NodeRunContext&) { return scoresOutputs(0.75, 0.6); });
    return true;
  }();
  (void)filled;
  return registry;
}

} // namespace

class RunFailuresTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aRunnerThrowingANonStandardExceptionFailsItsNode() {
    graph::Document doc(testTypes());
    const NodeId thrower = doc.addNode(kThrowsInt);
    const NodeId fine = doc.addNode(kSucceeds);
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(doc, {}, {}, cancel);
    QCOMPARE(summary.nodes.at(thrower).state, NodeState::Failed);
    QVERIFY2(summary.nodes.at(thrower).message.find("unknown error") != std::string::npos,
             summary.nodes.at(thrower).message.c_str());
    QCOMPARE(summary.nodes.at(fine).state, NodeState::Done); // the run went on
    QVERIFY(!summary.cancelled);
    QVERIFY(summary.failure.empty()); // a node's failure, not the run's
    QVERIFY(!summary.ok());
  }

  // A runner whose allocation fails (LibTorch's allocator, or operator new), or whose scores are NaN, fails
  // its own node with a one-line message; the other branch runs and keeps its results.
  void aFaultFailsItsNodeAndTheOtherBranchKeepsItsResults_data() {
    QTest::addColumn<QString>("faulty");
    QTest::addColumn<QString>("message");
    QTest::newRow("LibTorch out of memory")
        << kTorchOutOfMemory << "out of memory: you tried to allocate 4503599627370496 bytes";
    QTest::newRow("operator new out of memory") << kBadAlloc << "out of memory (an allocation failed)";
    QTest::newRow("non-finite scores")
        << kNonFinite << "non-finite score: model 'merged' task 'shirts' has loss nan";
  }
  void aFaultFailsItsNodeAndTheOtherBranchKeepsItsResults() {
    QFETCH(QString, faulty);
    QFETCH(QString, message);
    graph::Document doc(testTypes());
    const NodeId bad = doc.addNode(faulty.toStdString());
    const NodeId good = doc.addNode(kScores);
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(doc, {}, {}, cancel);
    const auto& failed = summary.nodes.at(bad);
    QCOMPARE(failed.state, NodeState::Failed);
    QVERIFY2(QString::fromStdString(failed.message).startsWith(message), failed.message.c_str());
    QVERIFY2(failed.message.find('\n') == std::string::npos, failed.message.c_str());
    QVERIFY(failed.results.empty()); // nothing of the faulty node reaches the charts
    const auto& other = summary.nodes.at(good);
    QCOMPARE(other.state, NodeState::Done);
    QCOMPARE(other.results.size(), std::size_t(1));
    QCOMPARE(other.results[0].scores->at(0).accuracy, 0.75);
    QVERIFY(summary.failure.empty());
    QVERIFY(!summary.cancelled);
  }

  void aThrowingEventCallbackFailsTheRunWithItsMessage() {
    graph::Document doc(testTypes());
    const NodeId first = doc.addNode(kSucceeds);
    const NodeId second = doc.addNode(kSucceeds);
    engine::RunEvents events;
    events.nodeChanged = [](NodeId, const engine::NodeStatus& status) {
      if (status.state == NodeState::Done) throw std::runtime_error("the display went away");
    };
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    engine::RunSummary summary;
    try {
      summary = executor.run(doc, {}, events, cancel);
    } catch (...) {
      QFAIL("GraphExecutor::run threw");
    }
    QCOMPARE(summary.failure, std::string("the display went away"));
    QVERIFY(!summary.cancelled);
    QVERIFY(!summary.ok());
    // The node that ran is done; the one the failure stopped says so.
    const NodeId ran = summary.nodes.at(first).state == NodeState::Done ? first : second;
    const NodeId stopped = ran == first ? second : first;
    QCOMPARE(summary.nodes.at(ran).state, NodeState::Done);
    QCOMPARE(summary.nodes.at(stopped).state, NodeState::Failed);
    QCOMPARE(summary.nodes.at(stopped).message, std::string("not finished: the display went away"));
  }

  void aTypeMarkedNotRunnableSaysWhyBeforeAndInsteadOfRunning() {
    graph::Document doc(testTypes());
    const NodeId node = doc.addNode(kNotRunnable);
    const auto issues = graph::validate(doc);
    QCOMPARE(issues.size(), std::size_t(1));
    QCOMPARE(issues.front().severity, graph::Severity::Error);
    QCOMPARE(issues.front().message, std::string(kReason));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(doc, {}, {}, cancel);
    QCOMPARE(summary.nodes.at(node).state, NodeState::Failed);
    QCOMPARE(summary.nodes.at(node).message, std::string(kReason));
  }

  void aTypeWithoutARunnerFailsWithAClearMessage() {
    graph::Document doc(testTypes());
    const NodeId node = doc.addNode(kNoRunner);
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(doc, {}, {}, cancel);
    QCOMPARE(summary.nodes.at(node).state, NodeState::Failed);
    QVERIFY2(summary.nodes.at(node).message.find("cannot run") != std::string::npos,
             summary.nodes.at(node).message.c_str());
  }
};

MG_TEST_APPLESS_MAIN(RunFailuresTest)
#include "test_run_failures.moc"
