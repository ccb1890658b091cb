#include "demo/demo_project.h"

#include <stdexcept>

#include "demo/project_builder.h"
#include "graph/auto_layout.h"
#include "graph/builtin_node_types.h"

namespace mg::demo {

namespace nt = graph::node_types;
using Builder = ProjectBuilder;

graph::Document makeDemoProject(const DemoProjectInputs& inputs) {
  Builder b;
  const auto base = b.source(nt::kSourceModel, "Base", inputs.baseFolder);
  const auto tasks = b.source(nt::kSourceTasks, "Tasks", inputs.tasksFolder);

  std::vector<graph::NodeId> adapters, evaluations;
  for (const auto& [task, folder] : inputs.loraSpecialists)
    adapters.push_back(b.source(nt::kSourceAdapter, "LoRA " + task, folder));
  std::vector<graph::NodeId> fineTunes;
  for (const auto& [task, folder] : inputs.fullFineTunes)
    fineTunes.push_back(b.source(nt::kSourceModel, "Fine-tune " + task, folder));

  const double n = double(adapters.size());
  // Simple averaging of the fine-tuned models is the base plus the mean task vector: task arithmetic, λ =
  // 1/n.
  const std::vector<graph::NodeId> merges = {
      b.merge("task_arithmetic", "Average", base, adapters, {{"lambda", 1.0 / n}}),
      b.merge("task_arithmetic", "Task arithmetic", base, adapters, {{"lambda", 0.5}}),
      b.merge("ties", "TIES", base, adapters, {{"lambda", 0.5}, {"density", 0.3}}),
      b.merge("dare_ties", "DARE", base, adapters, {{"lambda", 0.5}, {"density", 0.5}}),
  };

  evaluations.push_back(b.evaluate(base, tasks, base, false));
  for (const auto adapter : adapters)
    evaluations.push_back(b.evaluate(adapter, tasks, base, true));
  for (const auto model : fineTunes)
    evaluations.push_back(b.evaluate(model, tasks, base, false));
  for (const auto model : merges)
    evaluations.push_back(b.evaluate(model, tasks, base, false));

  // Task arithmetic over λ: where the summed task vectors start to interfere.
  const auto sweep = b.node(nt::kSweep, "Sweep λ of task arithmetic");
  b.check(b.doc.setParam(sweep, "parameter", std::string("lambda")));
  b.check(b.doc.setParam(sweep, "node", b.doc.at(merges[1]).title));
  b.check(b.doc.setParam(sweep, "from", 0.1));
  b.check(b.doc.setParam(sweep, "to", 1.0));
  b.check(b.doc.setParam(sweep, "steps", inputs.sweepSteps));
  b.check(b.doc.connect({evaluations[evaluations.size() - merges.size() + 1], 0}, {sweep, 0}));

  // Routing among the specialists per input, scored like the models above.
  for (const auto router : b.routers(base, tasks, adapters))
    evaluations.push_back(router);

  // A specialist trained in the workbench: a LoRA of the base on 16 examples per class of the training
  // images of rotate+invert, a composition no merge of the skills' LoRAs solves, scored beside them.
  if (!inputs.trainTasksFolder.empty()) {
    const auto training = b.source(nt::kSourceTasks, "Training tasks", inputs.trainTasksFolder);
    const auto tune = b.node(nt::kFineTune, "16-shot rotate+invert");
    b.check(b.doc.connect({base, 0}, {tune, 0}));
    b.check(b.doc.connect({training, 0}, {tune, 1}));
    b.check(b.doc.setParam(tune, "tasks", std::string("rotate+invert")));
    b.check(b.doc.setParam(tune, "examples", std::int64_t(16)));
    b.check(b.doc.setParam(tune, "validation_examples", std::int64_t(8)));
    b.check(b.doc.setParam(tune, "steps", std::int64_t(200)));
    evaluations.push_back(b.evaluate(tune, tasks, base, true));
  }

  // The sinks that look at the specialists themselves, each on the base, the tasks and every specialist.
  std::vector<graph::NodeId> specialists = adapters;
  specialists.insert(specialists.end(), fineTunes.begin(), fineTunes.end());
  // Why the merges lose accuracy: how far each specialist moves the base's features on every task's inputs.
  b.specialistSink(nt::kInterference, "Interference", base, tasks, specialists);
  // Task embeddings of the specialists (their task vectors): which ones are alike. The demo's MLP is small,
  // so the exact task vectors are compared: a sketch's noise (about ±0.03) is as large as the similarities of
  // specialists of unrelated skills here.
  const auto map = b.specialistSink(nt::kEmbeddingMap, "Embedding map", base, tasks, specialists);
  b.check(b.doc.setParam(map, "sketch", std::int64_t(0)));
  // Merging each pair of specialists: do close task vectors merge with less loss than distant ones?
  const auto gain = b.specialistSink(nt::kMergeGain, "Merge gain", base, tasks, specialists);
  b.check(b.doc.setParam(gain, "sketch", std::int64_t(0)));

  const auto compare = b.node(nt::kCompare, "Compare");
  for (std::size_t i = 0; i < evaluations.size(); ++i)
    b.check(b.doc.connect({evaluations[i], 0}, {compare, i}));

  for (const auto& [id, position] : graph::autoLayout(b.doc))
    b.doc.move(id, position);
  return std::move(b.doc);
}

} // namespace mg::demo
