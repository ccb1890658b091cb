// What a run says when something goes wrong beyond an ordinary node error: a runner that throws something
// other than a std::exception fails its node, an event callback that throws fails the run (never
// "cancelled") and run() still returns, a type marked not runnable says why before it runs, and a type with
// no runner fails with a clear message.
#include "support/test_registry.h"
#include <QtTest>

#include <stdexcept>

#include "engine/graph_executor.h"
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
