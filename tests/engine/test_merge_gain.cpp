// The Merge gain node on the quick demo zoo: one point per pair of specialists, each point's gain equal to
// the same merge built by hand as a merge node and scored by Evaluate nodes; two copies of one specialist at
// similarity 1 and no gain; a specialist no task is named after refused by name. And the naming rule it
// shares with the Compare view.
#include "support/test_registry.h"
#include <QtTest>

#include <filesystem>
#include <set>

#include "demo/demo_zoo.h"
#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "eval/specialist_names.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "graph/validation.h"
#include "io/idx_file.h"
#include "support/temp_dir.h"

using namespace mg;
namespace fs = std::filesystem;
namespace nt = graph::node_types;

namespace {

graph::NodeId byTitle(const graph::Document& document, const std::string& title) {
  for (const auto id : document.nodeIds())
    if (document.at(id).title == title) return id;
  throw std::runtime_error("no node titled '" + title + "'");
}

void check(const graph::MaybeError& error) {
  if (error) throw std::runtime_error(*error);
}

double accuracyOn(const engine::NodeStatus& evaluation, const std::string& task) {
  for (const auto& score : *evaluation.results.at(0).scores)
    if (score.task == task) return score.accuracy;
  throw std::runtime_error("no score on " + task);
}

} // namespace

class MergeGainTest : public QObject {
  Q_OBJECT
  test::TempDir dir_;
  graph::Document demo_;

  // A Merge gain node on the demo's base and tasks with `specialists` (node ids of demo_) connected.
  graph::NodeId addGain(graph::Document& document, const std::vector<graph::NodeId>& specialists) {
    const auto gain = document.addNode(nt::kMergeGain);
    document.setTitle(gain, "Gain under test");
    check(document.connect({byTitle(document, "Base"), 0}, {gain, 0}));
    check(document.connect({byTitle(document, "Tasks"), 0}, {gain, 1}));
    for (std::size_t i = 0; i < specialists.size(); ++i)
      check(document.connect({specialists[i], 0}, {gain, 2 + i}));
    return gain;
  }

  // A second adapter source on the folder of `adapter`, titled `title`.
  graph::NodeId copyOf(graph::Document& document, graph::NodeId adapter, const std::string& title) {
    const auto copy = document.addNode(nt::kSourceAdapter);
    document.setTitle(copy, title);
    check(document.setParam(copy, "path", *document.param(adapter, "path")));
    return copy;
  }

  engine::RunSummary run(const graph::Document& document, const std::vector<graph::NodeId>& targets) {
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    return executor.run(document, targets, {}, cancel);
  }

private Q_SLOTS:
  void initTestCase() {
    if (!fs::exists(std::string(io::kFashionMnistFolder)))
      QSKIP("dataset-fashion-mnist is not installed (packaging/install-deps.sh installs it)");
    demo::DemoOptions options;
    options.outFolder = dir_.file("zoo");
    options.quick = true;
    demo_ = graph::loadProject(demo::buildDemoZoo(options).projectPath);
  }

  void theDemoGainIsEachPairMergedAndEvaluatedByHand() {
    graph::Document document = demo_;
    const auto gain = byTitle(document, "Merge gain");
    for (const auto& issue : graph::validate(document))
      QVERIFY2(issue.severity != graph::Severity::Error, issue.message.c_str());
    const std::vector<std::pair<std::string, std::string>> specialists = {{"LoRA rotate", "rotate"},
                                                                          {"LoRA flip", "flip"},
                                                                          {"LoRA invert", "invert"},
                                                                          {"Fine-tune invert", "invert"}};

    // Each pair as a task arithmetic merge node with the weights and λ the Merge gain node documents (1/2
    // each, λ = 1), scored by an Evaluate node like any merge.
    std::vector<graph::NodeId> targets = {gain};
    std::map<std::string, graph::NodeId> specialistScores, pairScores;
    for (const auto& [title, task] : specialists) {
      specialistScores[title] = byTitle(document, "Evaluate " + title);
      targets.push_back(specialistScores[title]);
    }
    for (std::size_t i = 0; i < specialists.size(); ++i) {
      for (std::size_t j = i + 1; j < specialists.size(); ++j) {
        const auto merge = document.addNode(graph::mergeNodeTypeId("task_arithmetic"));
        check(document.setParam(merge, "lambda", 1.0));
        check(document.connect({byTitle(document, "Base"), 0}, {merge, 0}));
        check(document.connect({byTitle(document, specialists[i].first), 0}, {merge, 1}, 0.5));
        check(document.connect({byTitle(document, specialists[j].first), 0}, {merge, 2}, 0.5));
        const auto evaluate = document.addNode(nt::kEvaluate);
        check(document.connect({merge, 0}, {evaluate, 0}));
        check(document.connect({byTitle(document, "Tasks"), 0}, {evaluate, 1}));
        pairScores[specialists[i].first + "|" + specialists[j].first] = evaluate;
        targets.push_back(evaluate);
      }
    }
    const auto summary = run(document, targets);
    for (const auto& [id, status] : summary.nodes)
      QVERIFY2(status.state != engine::NodeState::Failed,
               (document.at(id).title + ": " + status.message).c_str());
    QVERIFY(summary.ok());

    const auto& status = summary.nodes.at(gain);
    QCOMPARE(status.scatters.size(), std::size_t(1));
    const auto& scatter = status.scatters.front();
    QCOMPARE(scatter.kind, std::string("merge_gain"));
    QVERIFY2(scatter.note.find("Pearson r = ") != std::string::npos, scatter.note.c_str());
    QCOMPARE(scatter.points.size(), std::size_t(6)); // C(4, 2)
    // One fact per specialist, one per pair, and the correlation.
    QCOMPARE(status.facts.size(), std::size_t(4 + 6 + 1));
    std::size_t point = 0;
    for (std::size_t i = 0; i < specialists.size(); ++i) {
      for (std::size_t j = i + 1; j < specialists.size(); ++j, ++point) {
        const auto& p = scatter.points[point];
        QVERIFY2(p.x >= -1.0 - 1e-9 && p.x <= 1.0 + 1e-9, std::to_string(p.x).c_str());
        QCOMPARE(p.nodes, (std::vector<graph::NodeId>{byTitle(document, specialists[i].first),
                                                      byTitle(document, specialists[j].first)}));
        const auto& [titleI, taskI] = specialists[i];
        const auto& [titleJ, taskJ] = specialists[j];
        const auto& merged = summary.nodes.at(pairScores.at(titleI + "|" + titleJ));
        const double expected =
            100.0 *
            ((accuracyOn(merged, taskI) - accuracyOn(summary.nodes.at(specialistScores.at(titleI)), taskI)) +
             (accuracyOn(merged, taskJ) - accuracyOn(summary.nodes.at(specialistScores.at(titleJ)), taskJ))) /
            2.0;
        QVERIFY2(std::abs(p.y - expected) < 1e-9,
                 (p.label + ": " + std::to_string(p.y) + " vs by hand " + std::to_string(expected)).c_str());
      }
    }
    // Tasks with one specialist are shown by the task, the two invert specialists by their names.
    QCOMPARE(scatter.points.front().label, std::string("rotate × flip"));
    QCOMPARE(scatter.points.back().label, std::string("LoRA invert × Fine-tune invert"));
  }

  void twoCopiesOfASpecialistAreAlikeAndMergeWithoutLoss() {
    graph::Document document = demo_;
    const auto rotate = byTitle(document, "LoRA rotate");
    const auto gain = addGain(document, {rotate, copyOf(document, rotate, "Copy of rotate")});
    const auto summary = run(document, {gain});
    QVERIFY2(summary.ok(), summary.nodes.at(gain).message.c_str());
    const auto& points = summary.nodes.at(gain).scatters.at(0).points;
    QCOMPARE(points.size(), std::size_t(1));
    QVERIFY2(std::abs(points[0].x - 1.0) < 1e-5, std::to_string(points[0].x).c_str());
    // The mean of two equal task vectors is the specialist: any change is rounding, at most one of the
    // task's 500 examples (0.2 points).
    QVERIFY2(std::abs(points[0].y) <= 0.2 + 1e-9, std::to_string(points[0].y).c_str());

    // Their sum (λ = 2) overshoots: the gain measures the merge, not a constant.
    check(document.setParam(gain, "lambda", 2.0));
    const auto doubled = run(document, {gain});
    QVERIFY(doubled.ok());
    QVERIFY2(doubled.nodes.at(gain).scatters.at(0).points.at(0).y < -1.0,
             std::to_string(doubled.nodes.at(gain).scatters.at(0).points.at(0).y).c_str());
  }

  void aSpecialistNoTaskIsNamedAfterIsRefusedByName() {
    graph::Document document = demo_;
    const auto rotate = byTitle(document, "LoRA rotate");
    const auto gain = addGain(document, {rotate, copyOf(document, rotate, "Mystery"),
                                         copyOf(document, byTitle(document, "LoRA flip"), "flipper")});
    const auto summary = run(document, {gain});
    const auto& status = summary.nodes.at(gain);
    QCOMPARE(status.state, engine::NodeState::Failed);
    QVERIFY2(status.message.find("no task is named after specialist(s) 'Mystery', 'flipper'") !=
                 std::string::npos,
             status.message.c_str());
    QVERIFY2(status.message.find("tasks: flip+invert, flip, invert") != std::string::npos,
             status.message.c_str());
  }

  void oneSpecialistIsFlaggedBeforeRunning() {
    graph::Document document = demo_;
    const auto gain = addGain(document, {byTitle(document, "LoRA rotate")});
    const auto issues = graph::validate(document);
    QVERIFY(std::any_of(issues.begin(), issues.end(), [&](const graph::Issue& issue) {
      return issue.node == gain && issue.severity == graph::Severity::Error &&
             issue.message.find("two specialists") != std::string::npos;
    }));
  }

  void theMethodChoiceHoldsThePairMethods() {
    const auto methods = graph::pairMergeMethods();
    QCOMPARE(methods.front(), std::string("task_arithmetic"));
    const std::set<std::string> offered(methods.begin(), methods.end());
    for (const char* method : {"ties", "dare_ties", "dare_linear", "model_stock"})
      QVERIFY2(offered.count(method), method);
    // linear takes no base, slerp counts the base as one of its two, fisher needs data.
    for (const char* method : {"linear", "slerp", "fisher", "regmean"})
      QVERIFY2(!offered.count(method), method);
  }

  void specialistsAreNamedAfterTheirTasks() {
    const std::vector<std::string> tasks = {"flip", "h_flip", "rot"};
    QCOMPARE(eval::taskNamedBy("LoRA rot", tasks), std::optional<std::size_t>(2));
    QCOMPARE(eval::taskNamedBy("/zoo/adapters/ROT/", tasks), std::optional<std::size_t>(2));
    QCOMPARE(eval::taskNamedBy("lora_h_flip.safetensors", tasks), std::optional<std::size_t>(1));
    QCOMPARE(eval::taskNamedBy("flip", tasks), std::optional<std::size_t>(0));
    QCOMPARE(eval::taskNamedBy("carrot", tasks), std::nullopt); // a suffix, but not after a separator
    QCOMPARE(eval::taskNamedBy("rot_lora", tasks), std::nullopt);
  }
};

MG_TEST_APPLESS_MAIN(MergeGainTest)
#include "test_merge_gain.moc"
