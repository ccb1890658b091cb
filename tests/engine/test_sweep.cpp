// The Sweep node as a user relies on it: each point's scores are exactly those of the graph run by hand with
// that value, points come in order with the value they were run at, what the sweep does not change is run
// once, a re-run with nothing changed is cached, and a sweep that cannot work says why before running.
#include "support/test_registry.h"
#include <QtTest>

#include <algorithm>
#include <filesystem>

#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "graph/validation.h"
#include "support/sweep_fixture.h"
#include "support/temp_dir.h"

using namespace mg;
using engine::NodeState;
using graph::NodeId;

namespace {

void check(const graph::MaybeError& error) {
  QVERIFY2(!error, error ? error->c_str() : "");
}

std::string failure(const engine::RunSummary& summary) {
  std::string text;
  for (const auto& [id, s] : summary.nodes)
    text += std::to_string(id) + " " + engine::nodeStateName(s.state) + " " + s.message + "\n";
  return text;
}

double mean(const engine::ScoresValue& value) {
  double sum = 0;
  for (const auto& s : *value.scores)
    sum += s.accuracy;
  return sum / double(value.scores->size());
}

// The error validation reports on `node`, or "".
std::string issueOn(const graph::Document& doc, NodeId node) {
  for (const auto& issue : graph::validate(doc)) {
    if (issue.node == node && issue.severity == graph::Severity::Error) return issue.message;
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

class SweepTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void eachPointScoresAsTheGraphRunByHandWithThatValue() {
    test::SweepProject p;
    check(p.doc.setParam(p.sweep, "from", 0.0));
    check(p.doc.setParam(p.sweep, "to", 1.0));
    check(p.doc.setParam(p.sweep, "steps", 5));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    std::vector<double> progress;
    engine::RunEvents events;
    events.nodeChanged = [&](NodeId id, const engine::NodeStatus& s) {
      if (id == p.sweep && s.state == NodeState::Running) progress.push_back(s.progress);
    };
    const auto summary = executor.run(p.doc, {p.sweep}, events, cancel);
    QVERIFY2(summary.ok(), failure(summary).c_str());
    const auto& status = summary.nodes.at(p.sweep);
    QCOMPARE(status.state, NodeState::Done);
    QCOMPARE(status.results.size(), std::size_t(5));
    QVERIFY(std::is_sorted(progress.begin(), progress.end()));
    QVERIFY(progress.size() >= 5);

    const std::vector<double> values = {0.0, 0.25, 0.5, 0.75, 1.0};
    std::vector<double> means;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto& point = status.results[i];
      QCOMPARE(point.parameter, std::string("lambda"));
      QCOMPARE(point.parameterValue, values[i]);
      QCOMPARE(point.modelNode, p.merge);
      // The same graph with lambda set by hand, run by an executor of its own (no shared cache).
      graph::Document byHand(p.doc);
      check(byHand.setParam(p.merge, "lambda", values[i]));
      test::TempDir otherScratch;
      engine::GraphExecutor other(otherScratch.path());
      const auto alone = other.run(byHand, {p.evaluate}, {}, cancel);
      QVERIFY2(alone.ok(), failure(alone).c_str());
      const auto& expected = alone.nodes.at(p.evaluate).results.at(0);
      QCOMPARE(point.scores->size(), expected.scores->size());
      for (std::size_t t = 0; t < expected.scores->size(); ++t) {
        QCOMPARE((*point.scores)[t].task, (*expected.scores)[t].task);
        QCOMPARE((*point.scores)[t].accuracy, (*expected.scores)[t].accuracy);
        QCOMPARE((*point.scores)[t].loss, (*expected.scores)[t].loss);
        QCOMPARE((*point.scores)[t].confusion, (*expected.scores)[t].confusion);
      }
      means.push_back(mean(point));
    }
    // The sweep is not flat: lambda changes the merged model's predictions.
    QVERIFY(*std::max_element(means.begin(), means.end()) > *std::min_element(means.begin(), means.end()));

    // Facts: what was swept, then one line per point with the best marked once.
    const auto& facts = status.facts;
    QCOMPARE(facts.size(), std::size_t(6));
    QVERIFY2(contains(facts[0], "lambda of '" + p.doc.at(p.merge).title + "'"), facts[0].c_str());
    QVERIFY2(contains(facts[0], "from 0.00 to 1.00 in 5 steps"), facts[0].c_str());
    QVERIFY2(contains(facts[2], "lambda=0.25: mean "), facts[2].c_str());
    const auto best = std::max_element(means.begin(), means.end()) - means.begin();
    QVERIFY2(contains(facts[1 + best], "(best)"), facts[1 + best].c_str());
    QCOMPARE(std::count_if(facts.begin(), facts.end(), [](const auto& f) { return contains(f, "(best)"); }),
             1l);
  }

  void unchangedNodesRunOnceAndARerunIsCached() {
    test::SweepProject p;
    check(p.doc.setParam(p.sweep, "steps", 3)); // lambda 0, 0.5, 1 (1 is the merge's own value)
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    QVERIFY(executor.run(p.doc, {p.sweep}, {}, cancel).ok());
    // Four sources, the merge and Evaluate at lambda 0, 0.5 and 1, and the sweep: the points reused the
    // sources and the graph's own lambda=1 results instead of keeping copies of their own.
    QCOMPARE(executor.cachedNodes(), std::size_t(4 + 3 + 3 + 1));

    const auto again = executor.run(p.doc, {p.sweep}, {}, cancel);
    for (const NodeId id : again.order)
      QCOMPARE(again.nodes.at(id).state, NodeState::Cached);
    QCOMPARE(again.nodes.at(p.sweep).results.size(), std::size_t(3));

    // More steps: the sweep runs again; the points already computed (0, 0.5, 1) come from the cache.
    check(p.doc.setParam(p.sweep, "steps", 5));
    const auto more = executor.run(p.doc, {p.sweep}, {}, cancel);
    QVERIFY2(more.ok(), failure(more).c_str());
    QCOMPARE(more.nodes.at(p.sweep).state, NodeState::Done);
    QCOMPARE(executor.cachedNodes(), std::size_t(4 + 5 + 5 + 1 + 1));
  }

  void anIntegerOrListParameterOfANamedNodeCanBeSwept() {
    test::SweepProject p("ties");
    check(p.doc.setParam(p.sweep, "parameter", "density"));
    check(p.doc.setParam(p.sweep, "from", 0.4));
    check(p.doc.setParam(p.sweep, "to", 1.0));
    check(p.doc.setParam(p.sweep, "steps", 3));
    p.doc.setTitle(p.merge, "My TIES");
    check(p.doc.setParam(p.sweep, "node", "My TIES"));
    QCOMPARE(issueOn(p.doc, p.sweep), std::string());
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {p.sweep}, {}, cancel);
    QVERIFY2(summary.ok(), failure(summary).c_str());
    const auto& results = summary.nodes.at(p.sweep).results;
    QCOMPARE(results.size(), std::size_t(3));
    QCOMPARE(results[1].parameterValue, 0.7);
    QVERIFY2(contains(summary.nodes.at(p.sweep).facts[2], "density=0.70: mean"),
             summary.nodes.at(p.sweep).facts[2].c_str());
  }

  void aSweepThatCannotWorkSaysWhyBeforeRunning() {
    test::SweepProject p("dare_ties");
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto expectError = [&](const std::string& part) {
      const std::string issue = issueOn(p.doc, p.sweep);
      QVERIFY2(contains(issue, part), ("validation: " + issue).c_str());
      const auto summary = executor.run(p.doc, {p.sweep}, {}, cancel);
      QCOMPARE(summary.nodes.at(p.sweep).state, NodeState::Failed);
      QVERIFY2(contains(summary.nodes.at(p.sweep).message, part), summary.nodes.at(p.sweep).message.c_str());
    };

    check(p.doc.setParam(p.sweep, "parameter", "temperature"));
    expectError("no node upstream of 'Evaluate' (node " + std::to_string(p.evaluate) +
                ") has a parameter 'temperature'");

    check(p.doc.setParam(p.sweep, "parameter", "rescale")); // a choice
    expectError("rescale of '" + p.doc.at(p.merge).title + "' (node " + std::to_string(p.merge) +
                ") is a choice, not a number");

    check(p.doc.setParam(p.sweep, "parameter", "density")); // in (0, 1]
    expectError("from 0 is outside the range of density of '" + p.doc.at(p.merge).title + "' (node " +
                std::to_string(p.merge) + "): (0, 1]");
    check(p.doc.setParam(p.sweep, "from", 0.2));
    check(p.doc.setParam(p.sweep, "to", 1.5));
    expectError("to 1.5 is outside the range of density");

    check(p.doc.setParam(p.sweep, "to", 0.2));
    expectError("from and to are both 0.2: nothing to sweep");

    check(p.doc.setParam(p.sweep, "to", 1.0));
    check(p.doc.setParam(p.sweep, "node", "No such node"));
    expectError("no node titled 'No such node' is upstream of 'Evaluate'");

    check(p.doc.setParam(p.sweep, "node", ""));
    check(p.doc.setParam(p.sweep, "parameter", "seed")); // int: 3 steps over 0.2..1 round to 0, 1, 1
    check(p.doc.setParam(p.sweep, "steps", 3));
    expectError("seed takes whole numbers");

    check(p.doc.setParam(p.sweep, "parameter", "density"));
    QCOMPARE(issueOn(p.doc, p.sweep), std::string());
  }

  void twoEquallyNearCandidatesMustBeNamed() {
    test::SweepProject p;
    // A second merge feeding a merge of merges: both inner merges are two steps from the Evaluate node.
    const NodeId outer = p.doc.addNode(graph::mergeNodeTypeId("linear"));
    const NodeId second = p.doc.addNode(graph::mergeNodeTypeId("task_arithmetic"));
    check(p.doc.connect({p.base, 0}, {second, 0}));
    check(p.doc.connect({p.a, 0}, {second, 1}));
    check(p.doc.disconnect({p.evaluate, 0}) ? std::nullopt : graph::MaybeError("no edge"));
    check(p.doc.connect({p.merge, 0}, {outer, 1}));
    check(p.doc.connect({second, 0}, {outer, 2}));
    check(p.doc.connect({outer, 0}, {p.evaluate, 0}));
    p.doc.setTitle(p.merge, "TA both");
    p.doc.setTitle(second, "TA one");
    const std::string issue = issueOn(p.doc, p.sweep);
    QVERIFY2(contains(issue, "'TA both'") && contains(issue, "'TA one'") &&
                 contains(issue, "name one in 'node'"),
             issue.c_str());
    check(p.doc.setParam(p.sweep, "node", "TA one"));
    QCOMPARE(issueOn(p.doc, p.sweep), std::string());
  }

  void aFailingPointFailsTheSweepWithItsValueAndCause() {
    test::SweepProject p;
    check(p.doc.setParam(p.sweep, "steps", 3));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    // The specialist's file disappears once the graph's own Evaluate has run: the first point, which
    // reads it again, fails.
    engine::RunEvents events;
    events.nodeChanged = [&](NodeId id, const engine::NodeStatus& s) {
      if (id == p.sweep && s.state == NodeState::Running)
        std::filesystem::remove(p.dir.file("b.safetensors"));
    };
    const auto summary = executor.run(p.doc, {p.sweep}, events, cancel);
    QCOMPARE(summary.nodes.at(p.evaluate).state, NodeState::Done);
    const auto& sweep = summary.nodes.at(p.sweep);
    QCOMPARE(sweep.state, NodeState::Failed);
    QVERIFY2(contains(sweep.message, "at lambda=0.00: 'Specialist B' (node " + std::to_string(p.b) + ")"),
             sweep.message.c_str());
    QVERIFY2(contains(sweep.message, "b.safetensors"), sweep.message.c_str());
  }

  void aPointTheMergeRefusesFailsTheSweep() {
    test::SweepProject p("ties");
    check(p.doc.setParam(p.sweep, "parameter", "density"));
    check(p.doc.setParam(p.sweep, "from", 0.2)); // keeps no entry of a 3-element bias
    check(p.doc.setParam(p.sweep, "steps", 2));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {p.sweep}, {}, cancel);
    const auto& sweep = summary.nodes.at(p.sweep);
    QCOMPARE(sweep.state, NodeState::Failed);
    QVERIFY2(
        contains(sweep.message, "at density=0.20: 'Evaluate' (node " + std::to_string(p.evaluate) + "): "),
        sweep.message.c_str());
    QVERIFY2(contains(sweep.message, "raise the density"), sweep.message.c_str());
  }

  void cancellingStopsBetweenPoints() {
    test::SweepProject p;
    check(p.doc.setParam(p.sweep, "steps", 4));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    engine::RunEvents events;
    events.nodeChanged = [&](NodeId id, const engine::NodeStatus& s) {
      if (id == p.sweep && s.state == NodeState::Running && s.progress >= 0.5) cancel.cancel();
    };
    const auto summary = executor.run(p.doc, {p.sweep}, events, cancel);
    QVERIFY(summary.cancelled);
    QCOMPARE(summary.nodes.at(p.sweep).state, NodeState::Cancelled);
    QVERIFY(summary.nodes.at(p.sweep).results.empty());
  }
};

MG_TEST_APPLESS_MAIN(SweepTest)
#include "test_sweep.moc"
