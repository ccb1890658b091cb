#include "demo/benchmark_project.h"

#include <algorithm>

#include "demo/project_builder.h"
#include "graph/auto_layout.h"
#include "ops/method_schemas.h"

namespace mg::demo {

std::vector<ZooMerge> benchmarkMerges(std::size_t specialists) {
  // λ as `merganser-cli demo --zoo benchmark --table` chose them on the full zoo's validation examples
  // (seed 7): with 16 specialists of one small trunk every method wants a small step; TIES keeps 20 %.
  const std::vector<ZooMerge> all = {
      {"Average", "task_arithmetic", {{"lambda", 1.0 / double(std::max<std::size_t>(1, specialists))}}},
      {"Task arithmetic", "task_arithmetic", {{"lambda", 0.03}}},
      {"TIES", "ties", {{"lambda", 0.15}, {"density", 0.2}}},
      {"TSV-M", "tsv", {{"lambda", 0.3}}},
      {"Iso-C", "iso_c", {{"lambda", 0.5}}},
      {"Iso-CTS", "iso_cts", {{"lambda", 0.5}}},
      {"WUDI", "wudi", {{"lambda", 0.03}}},
  };
  const auto names = ops::mergeMethodNames();
  std::vector<ZooMerge> available;
  for (const auto& merge : all)
    if (std::find(names.begin(), names.end(), merge.method) != names.end()) available.push_back(merge);
  return available;
}

graph::Document makeBenchmarkProject(const BenchmarkProjectInputs& inputs) {
  namespace types = graph::node_types;
  ProjectBuilder b;
  const auto base = b.source(types::kSourceModel, "Base", inputs.baseFolder);
  const auto tasks = b.source(types::kSourceTasks, "Tasks", inputs.tasksFolder);
  std::vector<graph::NodeId> adapters, specialists, evaluations;
  for (const auto& [task, folder] : inputs.loraSpecialists)
    adapters.push_back(b.source(types::kSourceAdapter, "LoRA " + task, folder));
  specialists = adapters;
  for (const auto& [task, folder] : inputs.fullFineTunes)
    specialists.push_back(b.source(types::kSourceModel, "Fine-tune " + task, folder));

  std::vector<graph::NodeId> merges;
  graph::NodeId taskArithmetic = graph::kNoNode;
  for (const auto& merge : benchmarkMerges(specialists.size())) {
    merges.push_back(b.merge(merge.method, merge.title, base, specialists, merge.params));
    if (merge.title == "Task arithmetic") taskArithmetic = merges.back();
  }
  // Fisher merging: the Fisher information node takes each specialist's Fisher on its own validation task
  // (never the test examples the Evaluate nodes score) and feeds the merge, where it can be inspected.
  const auto validation = b.source(types::kSourceTasks, "Validation tasks", inputs.tasksFolder + "/val");
  const auto fisher = b.specialistSink(types::kFisher, "Fisher information", base, validation, specialists);
  merges.push_back(b.merge("fisher", "Fisher", base, specialists, {}));
  b.check(
      b.doc.connect({fisher, 0}, {merges.back(), *b.doc.nodeType(merges.back())->inputIndex("statistics")}));
  // KnOTS merges the LoRA specialists only, and stays an adapter through Merge as LoRA (exact).
  merges.push_back(b.merge("knots", "KnOTS", base, adapters, {}));
  const auto knotsAdapter = b.node(types::kLoraMerged, "KnOTS as LoRA");
  b.check(b.doc.connect({merges.back(), 0}, {knotsAdapter, 0}));

  evaluations.push_back(b.evaluate(base, tasks, base, false));
  for (std::size_t i = 0; i < specialists.size(); ++i)
    evaluations.push_back(b.evaluate(specialists[i], tasks, base, i < adapters.size()));
  std::size_t taskArithmeticEvaluation = 0;
  for (const auto merge : merges) {
    if (merge == taskArithmetic) taskArithmeticEvaluation = evaluations.size();
    evaluations.push_back(b.evaluate(merge, tasks, base, false));
  }
  evaluations.push_back(b.evaluate(knotsAdapter, tasks, base, true));
  for (const auto router : b.routers(base, tasks, adapters, validation))
    evaluations.push_back(router);

  if (taskArithmetic != graph::kNoNode) {
    const auto sweep = b.node(types::kSweep, "Sweep λ of task arithmetic");
    b.check(b.doc.setParam(sweep, "parameter", std::string("lambda")));
    b.check(b.doc.setParam(sweep, "node", b.doc.at(taskArithmetic).title));
    b.check(b.doc.setParam(sweep, "from", 0.02));
    b.check(b.doc.setParam(sweep, "to", 0.5));
    b.check(b.doc.setParam(sweep, "steps", inputs.sweepSteps));
    b.check(b.doc.connect({evaluations[taskArithmeticEvaluation], 0}, {sweep, 0}));
  }

  // Which specialists are alike (their exact task vectors: the CNN is small) and what merging each of the
  // 120 pairs costs on the pair's own tasks.
  const auto map = b.specialistSink(types::kEmbeddingMap, "Embedding map", base, tasks, specialists);
  b.check(b.doc.setParam(map, "sketch", std::int64_t(0)));
  const auto gain = b.specialistSink(types::kMergeGain, "Merge gain", base, tasks, specialists);
  b.check(b.doc.setParam(gain, "sketch", std::int64_t(0)));

  const auto compare = b.node(types::kCompare, "Compare");
  for (std::size_t i = 0; i < evaluations.size(); ++i)
    b.check(b.doc.connect({evaluations[i], 0}, {compare, i}));

  for (const auto& [id, position] : graph::autoLayout(b.doc))
    b.doc.move(id, position);
  return std::move(b.doc);
}

} // namespace mg::demo
