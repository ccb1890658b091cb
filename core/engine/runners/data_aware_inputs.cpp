#include "engine/runners/data_aware_inputs.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "embed/merge_statistics.h"
#include "engine/runners/classifier_access.h"
#include "engine/runners/language_model_access.h"
#include "engine/value_access.h"
#include "eval/classifier.h"
#include "io/hf_model_folder.h"
#include "io/task_file.h"
#include "io/text_task_file.h"
#include "lm_eval/lm_statistics.h"

namespace mg::engine {

namespace {

// How a language model's statistics are estimated (docs/spec/language-models.md): part of the cache key.
std::map<std::string, std::string> languageModelSettings(embed::StatisticsKind kind) {
  const std::string tokens = std::to_string(lm_eval::kStatisticsTokens);
  if (kind == embed::StatisticsKind::Grams)
    return {{"sequences", "text task, at most " + tokens + " scored"}};
  return {{"sequences", "text task, at most " + tokens + " scored"},
          {"estimator", "1 sampled token per scored token, seed 0"}};
}

// The statistics of a classifier on its task file, its config from the model's folder or the base's.
embed::ModelStatistics classifierStatistics(const embed::StatisticsRequest& request, const NodeValue& value,
                                            const NodeValue& base, const WeightSet& weights,
                                            const io::TaskData& task) {
  const auto* model = std::get_if<ModelValue>(&value);
  const auto* baseModel = std::get_if<ModelValue>(&base);
  const std::shared_ptr<const io::HfModelFolder> config = model && model->config ? model->config
                                                          : baseModel            ? baseModel->config
                                                                                 : nullptr;
  return embed::modelStatistics(
      request, weights, [config](const WeightSet& w) { return eval::loadClassifier(w, config.get()); }, task);
}

} // namespace

embed::ModelStatistics languageModelStatistics(const embed::StatisticsRequest& request,
                                               const WeightSet& weights,
                                               const std::function<LanguageModel()>& load,
                                               const io::TextTask& task,
                                               const std::function<void(double)>& progress) {
  embed::StatisticsRequest keyed = request;
  for (auto& [name, value] : languageModelSettings(request.kind))
    keyed.settings[name] = value;
  return embed::modelStatistics(keyed, weights, task.name, embed::textTaskContentHash(task), [&]() {
    const auto language = load();
    const auto requests = lm_eval::statisticsRequests(task, *language.tokenizer, request.examples,
                                                      lm_eval::statisticsWindow(*language.model));
    if (request.kind == embed::StatisticsKind::Grams)
      return lm_eval::lmInputGrams(*language.model, requests, request.cancel);
    lm_eval::LmFisherOptions options;
    options.cancel = request.cancel;
    options.progress = progress;
    return lm_eval::lmParameterFisher(*language.model, requests, options);
  });
}

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
  // Classifier task files, or text tasks for language models.
  const auto* tasks = std::get_if<TasksValue>(&context.input("tasks"));
  const bool text = tasks && tasks->textTasks;
  std::vector<std::string> taskNames;
  if (text)
    for (const auto& task : *tasks->textTasks)
      taskNames.push_back(task.name);
  else if (tasks && tasks->tasks)
    for (const auto& task : *tasks->tasks)
      taskNames.push_back(task.name);
  if (taskNames.empty())
    throw std::runtime_error(context.describe() + " needs task data: connect a Tasks node to 'tasks'");
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
    const std::string& taskName = taskNames[assigned[i]];
    const std::string label = "models " + std::to_string(i + 1);
    const std::string doing = names[i].front() + " on " + taskName;
    context.progress(double(i) / double(group.size()), doing);
    const auto weights = modelWeights(context, value, base, label);
    const auto started = std::chrono::steady_clock::now();
    embed::ModelStatistics computed;
    if (text) {
      const auto& task = (*tasks->textTasks)[assigned[i]];
      computed = languageModelStatistics(
          request, *weights, [&]() { return loadInputLanguageModel(context, value, label); }, task,
          [&](double fraction) { context.progress((double(i) + fraction) / double(group.size()), doing); });
    } else {
      computed = classifierStatistics(request, value, base, *weights, (*tasks->tasks)[assigned[i]]);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char timing[32];
    std::snprintf(timing, sizeof timing, "%.2f s", seconds);
    out.facts.push_back(names[i].front() + " on task " + taskName + ": " + embed::statisticsKindName(*kind) +
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
