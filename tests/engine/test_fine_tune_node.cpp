// The Fine-tune node as a user runs it: it trains a LoRA of the base on one task of a Tasks source, shows the
// curve while it trains, hands its adapter to a merge and its model to an Evaluate node, is not trained again
// when nothing changed, and a cancelled run keeps the best checkpoint so far where the node's message says.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>

#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "support/sweep_fixture.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

struct FineTuneProject : test::SweepProject {
  graph::NodeId tune = 0, tunedScores = 0, baseScores = 0;

  FineTuneProject() {
    tune = doc.addNode(nt::kFineTune);
    doc.setTitle(tune, "LoRA alpha");
    must(doc.connect({base, 0}, {tune, 0}));
    must(doc.connect({tasks, 0}, {tune, 1}));
    must(doc.setParam(tune, "tasks", "alpha"));
    must(doc.setParam(tune, "rank", std::int64_t(4)));
    must(doc.setParam(tune, "examples", std::int64_t(0))); // every example not held apart
    must(doc.setParam(tune, "validation_examples", std::int64_t(20)));
    must(doc.setParam(tune, "example_unit", "per_task"));
    must(doc.setParam(tune, "steps", std::int64_t(60)));
    must(doc.setParam(tune, "learning_rate", 0.02));
    tunedScores = evaluateOn(tune, 1);
    baseScores = evaluateOn(base, 0);
  }

  graph::NodeId evaluateOn(graph::NodeId model, std::size_t port) {
    const auto id = doc.addNode(nt::kEvaluate);
    must(doc.connect({model, port}, {id, 0}));
    must(doc.connect({tasks, 0}, {id, 1}));
    return id;
  }
};

double accuracyOn(const engine::RunSummary& summary, graph::NodeId evaluate, const std::string& task) {
  for (const auto& scores : summary.nodes.at(evaluate).results)
    for (const auto& score : *scores.scores)
      if (score.task == task) return score.accuracy;
  return -1;
}

} // namespace

class FineTuneNodeTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aFineTunedSpecialistFlowsIntoEvaluationAndIsNotTrainedTwice() {
    FineTuneProject p;
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    int livePoints = 0;
    engine::RunEvents events;
    events.nodeChanged = [&](graph::NodeId id, const engine::NodeStatus& status) {
      if (id == p.tune && status.state == engine::NodeState::Running && !status.scatters.empty())
        ++livePoints;
    };
    const auto summary = executor.run(p.doc, {p.tunedScores, p.baseScores}, events, cancel);
    QVERIFY2(summary.ok(), summary.nodes.at(p.tune).message.c_str());
    const auto& tuned = summary.nodes.at(p.tune);
    QVERIFY2(livePoints >= 3,
             std::to_string(livePoints).c_str()); // the curve, point by point, while training
    QVERIFY(!tuned.facts.empty());
    QVERIFY2(tuned.facts[0].rfind("lora: 60 steps on", 0) == 0, tuned.facts[0].c_str());
    // The finished curve stays with the node: loss and validation points for the Training tab.
    QCOMPARE(tuned.scatters.size(), std::size_t(2));
    QCOMPARE(tuned.scatters[0].kind, std::string("training_loss"));
    QCOMPARE(tuned.scatters[0].title, std::string("LoRA alpha"));
    QVERIFY(tuned.scatters[0].points.front().y > tuned.scatters[0].points.back().y); // it learned
    // The specialist beats the base on its own task.
    const double before = accuracyOn(summary, p.baseScores, "alpha"),
                 after = accuracyOn(summary, p.tunedScores, "alpha");
    QVERIFY2(after > before + 0.1, (std::to_string(before) + " -> " + std::to_string(after)).c_str());

    // Nothing changed: the node comes from the cache; a changed parameter trains again.
    const auto again = executor.run(p.doc, {p.tunedScores}, {}, cancel);
    QCOMPARE(again.nodes.at(p.tune).state, engine::NodeState::Cached);
    QCOMPARE(accuracyOn(again, p.tunedScores, "alpha"), after);
    test::SweepProject::must(p.doc.setParam(p.tune, "seed", std::int64_t(3)));
    const auto retrained = executor.run(p.doc, {p.tunedScores}, {}, cancel);
    QCOMPARE(retrained.nodes.at(p.tune).state, engine::NodeState::Done);
  }

  void itsAdapterJoinsAMerge() {
    FineTuneProject p;
    const auto merge = p.doc.addNode(graph::mergeNodeTypeId("task_arithmetic"));
    test::SweepProject::must(p.doc.connect({p.base, 0}, {merge, 0}));
    test::SweepProject::must(p.doc.connect({p.tune, 0}, {merge, 1}));
    test::SweepProject::must(p.doc.connect({p.b, 0}, {merge, 2}));
    const auto scores = p.evaluateOn(merge, 0);
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    const auto summary = executor.run(p.doc, {scores}, {}, cancel);
    QVERIFY2(summary.ok(), summary.nodes.at(merge).message.c_str());
    QVERIFY(accuracyOn(summary, scores, "alpha") >= 0);
  }

  void aCancelledRunKeepsTheBestCheckpoint() {
    FineTuneProject p;
    test::SweepProject::must(p.doc.setParam(p.tune, "steps", std::int64_t(100000)));
    const std::string saveTo = p.dir.file("kept-lora");
    test::SweepProject::must(p.doc.setParam(p.tune, "save_to", saveTo));
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    engine::RunEvents events;
    events.nodeChanged = [&](graph::NodeId id, const engine::NodeStatus& status) {
      // Cancel once two validation points are in.
      if (id == p.tune && status.scatters.size() == 2 && status.scatters[1].points.size() >= 2)
        cancel.cancel();
    };
    const auto summary = executor.run(p.doc, {p.tune}, events, cancel);
    QVERIFY(summary.cancelled);
    const auto& status = summary.nodes.at(p.tune);
    QCOMPARE(status.state, engine::NodeState::Cancelled);
    const std::string& message = status.message;
    QVERIFY2(message.rfind("cancelled after ", 0) == 0, message.c_str());
    QCOMPARE(message.substr(message.find(" is kept in ") + 12), saveTo);
    // Outside the cache, whose folders of cancelled nodes go when the run ends.
    QVERIFY2(std::filesystem::exists(std::filesystem::path(saveTo) / "adapter_config.json"), message.c_str());
    QVERIFY(std::filesystem::exists(std::filesystem::path(saveTo) / "adapter_model.safetensors"));
  }
};

MG_TEST_APPLESS_MAIN(FineTuneNodeTest)
#include "test_fine_tune_node.moc"
