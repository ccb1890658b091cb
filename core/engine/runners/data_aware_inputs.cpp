#include "engine/runners/data_aware_inputs.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "embed/merge_statistics.h"
#include "engine/runners/classifier_access.h"
#include "engine/value_access.h"
#include "eval/classifier.h"
#include "io/hf_model_folder.h"
#include "io/task_file.h"

namespace mg::engine {

std::vector<WeightSetPtr> connectedStatistics(const NodeRunContext& context, const std::string& method,
                                              std::size_t models) {
  const auto* value = std::get_if<StatisticsValue>(&context.input("statistics"));
  if (!value || value->method != method)
    throw std::runtime_error(context.describe() + ": 'statistics' carries no " + method + " statistics");
  if (value->perModel.size() != models)
    throw std::runtime_error(context.describe() + ": the Fisher information on 'statistics' is of " +
                             std::to_string(value->perModel.size()) + " models, this merge has " +
                             std::to_string(models) + "; connect the same models in the same order");
  return value->perModel;
}

std::vector<WeightSetPtr> dataAwareStatistics(const NodeRunContext& context, const std::string& method,
                                              const NodeValue& base,
                                              const std::vector<std::pair<const NodeValue*, double>>& group,
                                              std::size_t firstGroupInput, std::int64_t examples,
                                              NodeOutputs& out) {
  const auto kind = embed::statisticsKindOf(method);
  if (!kind) throw std::logic_error(method + " gathers no statistics");
  const auto* tasks = classifierTasks(context, "tasks");
  if (!tasks || !tasks->tasks || tasks->tasks->empty())
    throw std::runtime_error(context.describe() + " needs task data: connect a Tasks node to 'tasks'");
  std::vector<std::string> taskNames;
  for (const auto& task : *tasks->tasks)
    taskNames.push_back(task.name);
  std::vector<std::vector<std::string>> names;
  for (std::size_t i = 0; i < group.size(); ++i)
    names.push_back(
        {inputModelLabel(context, firstGroupInput + i, *group[i].first), valueLabel(*group[i].first)});
  const auto assigned = embed::assignTasks(names, taskNames);

  embed::StatisticsRequest request;
  request.kind = *kind;
  request.examples = examples;
  request.cacheFolder = embed::defaultStatisticsFolder();
  request.cancel = context.cancel;
  std::vector<WeightSetPtr> statistics;
  for (std::size_t i = 0; i < group.size(); ++i) {
    const NodeValue& value = *group[i].first;
    const auto& task = (*tasks->tasks)[assigned[i]];
    const std::string label = "models " + std::to_string(i + 1);
    context.progress(double(i) / double(group.size()), names[i].front() + " on " + task.name);
    const auto weights = modelWeights(context, value, base, label);
    const auto* model = std::get_if<ModelValue>(&value);
    const auto* baseModel = std::get_if<ModelValue>(&base);
    const std::shared_ptr<const io::HfModelFolder> config = model && model->config ? model->config
                                                            : baseModel            ? baseModel->config
                                                                                   : nullptr;
    const auto started = std::chrono::steady_clock::now();
    auto computed = embed::modelStatistics(
        request, *weights, [config](const WeightSet& w) { return eval::loadClassifier(w, config.get()); },
        task);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char timing[32];
    std::snprintf(timing, sizeof timing, "%.2f s", seconds);
    out.facts.push_back(names[i].front() + " on task " + task.name + ": " + embed::statisticsKindName(*kind) +
                        " of " + std::to_string(computed.statistics->tensors().size()) + " tensors " +
                        (computed.fromCache ? "read from the cache" : std::string("computed in ") + timing));
    for (auto& w : computed.warnings)
      out.warnings.push_back(std::move(w));
    statistics.push_back(computed.statistics);
  }
  return statistics;
}

NodeOutputs runFisherNode(NodeRunContext& context) {
  NodeOutputs out;
  const auto group = context.groupInputs();
  const std::size_t first = context.document.nodeType(context.node)->fixedInputCount();
  const auto statistics = dataAwareStatistics(context, "fisher", context.input("base"), group, first,
                                              context.param("examples").get<std::int64_t>(), out);
  StatisticsValue value{"fisher", statistics, {}};
  for (std::size_t i = 0; i < statistics.size(); ++i) {
    const std::string model = inputModelLabel(context, first + i, *group[i].first);
    value.models.push_back(model);
    for (const auto& info : statistics[i]->tensors()) {
      const at::Tensor f = statistics[i]->load(info.name);
      char line[160];
      std::snprintf(line, sizeof line, ": mean %.3g, largest %.3g, %.0f%% below 1e-6",
                    f.mean().item<double>(), f.max().item<double>(),
                    100.0 * (f < 1e-6).to(at::kDouble).mean().item<double>());
      out.facts.push_back(model + " " + info.name + line);
    }
  }
  out.values.emplace_back(std::move(value));
  return out;
}

} // namespace mg::engine
