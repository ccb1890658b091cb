#include "demo/text_zoo_project.h"

#include "demo/project_builder.h"
#include "graph/auto_layout.h"

namespace mg::demo {

graph::Document makeTextZooProject(const TextZooProjectInputs& inputs) {
  namespace types = graph::node_types;
  ProjectBuilder b;
  const auto base = b.source(types::kSourceModel, "Base", inputs.baseFolder);
  const auto tasks = b.source(types::kSourceTasks, "Tasks", inputs.testTasksFolder);
  const auto validation = b.source(types::kSourceTasks, "Validation tasks", inputs.validationTasksFolder);
  std::vector<graph::NodeId> adapters;
  for (const auto& [skill, folder] : inputs.adapters)
    adapters.push_back(b.source(types::kSourceAdapter, "LoRA " + skill, folder));

  // Each merge folds every specialist's B·A into the base's weights. The specialists adapt every linear
  // module, so their updates overlap: summed whole (λ = 1) they interfere; their mean (λ = 1/n) dilutes each.
  const double n = double(adapters.size());
  const std::vector<graph::NodeId> merges = {
      b.merge("task_arithmetic", "Average", base, adapters, {{"lambda", 1.0 / n}}),
      b.merge("task_arithmetic", "Task arithmetic", base, adapters, {{"lambda", 0.5}}),
      b.merge("ties", "TIES", base, adapters, {{"lambda", 1.0}, {"density", 0.3}}),
  };

  std::vector<graph::NodeId> scored = {b.evaluate(base, tasks, base, false)};
  for (const auto adapter : adapters)
    scored.push_back(b.evaluate(adapter, tasks, base, true));
  for (const auto merge : merges)
    scored.push_back(b.evaluate(merge, tasks, base, false));
  // Routing each example to a specialist on the base's hidden state of its prompt (Arrow routes classifiers
  // only), fitted on the validation tasks so the scores are of prompts the routers never saw.
  for (const auto router : b.routers(base, tasks, adapters, validation, false))
    scored.push_back(router);

  const auto compare = b.node(types::kCompare, "Compare");
  for (std::size_t i = 0; i < scored.size(); ++i)
    b.check(b.doc.connect({scored[i], 0}, {compare, i}));

  // The specialists' task vectors compared exactly (a few million weights each), and the tasks' Fisher and
  // data embeddings with the base.
  const auto map = b.specialistSink(types::kEmbeddingMap, "Embedding map", base, tasks, adapters);
  b.check(b.doc.setParam(map, "sketch", std::int64_t(0)));
  // What merging each pair of specialists costs on their own generation tasks.
  const auto gain = b.specialistSink(types::kMergeGain, "Merge gain", base, tasks, adapters);
  b.check(b.doc.setParam(gain, "sketch", std::int64_t(0)));
  b.check(b.doc.setParam(gain, "examples", std::int64_t(inputs.quick ? 16 : 40)));

  for (const auto& [id, position] : graph::autoLayout(b.doc))
    b.doc.move(id, position);
  return std::move(b.doc);
}

} // namespace mg::demo
