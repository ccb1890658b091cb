// Evaluation in the graph: a Tasks source reads task files, Evaluate scores a model (or an adapter on its
// base) on them, Compare lines the scores of several models up by task.
#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>

#include "util/percent_text.h"
#include "engine/runners/builtin_runners.h"
#include "engine/runners/classifier_access.h"
#include "engine/runners/scores_of.h"
#include "engine/runners/text_evaluation_runner.h"
#include "engine/node_runner.h"
#include "engine/value_access.h"
#include "eval/evaluation.h"
#include "eval/evaluation_over_ranks.h"
#include "eval/classifier.h"
#include "graph/builtin_node_types.h"
#include "io/task_file.h"
#include "io/text_task_file.h"

namespace mg::engine {

namespace {

NodeOutputs runTasksSource(NodeRunContext& context) {
  const std::string path = context.paramText("path");
  if (path.empty()) throw std::runtime_error("path is not set");
  if (io::holdsTextTasks(path)) return textTasksSource(path);
  auto tasks = std::make_shared<const std::vector<io::TaskData>>(io::readTaskSet(path));
  NodeOutputs out;
  std::int64_t examples = 0;
  for (const auto& task : *tasks)
    examples += task.size();
  out.facts.push_back(std::to_string(tasks->size()) + " tasks, " + std::to_string(examples) + " examples");
  out.values.emplace_back(TasksValue{std::move(tasks), path});
  return out;
}

NodeOutputs runEvaluate(NodeRunContext& context) {
  const NodeValue& modelValue = context.input("model");
  const auto* tasks = std::get_if<TasksValue>(&context.input("tasks"));
  if (!tasks) throw std::runtime_error("input 'tasks' of " + context.describe() + ": expected task data");
  if (tasks->textTasks) return evaluateLanguageModel(context, modelValue, *tasks);
  // An archive named on the node wins over one found beside the model's config.json.
  const auto* archive = context.document.param(context.node, "torchscript");
  const std::string torchscript =
      archive && archive->is_string() ? archive->get<std::string>() : std::string();
  context.progress(-1, "loading the model");
  // Materialized once for all tasks.
  const auto classifier =
      loadInputClassifier(context, modelValue, context.input("base"), "model", torchscript);

  eval::EvaluationOptions options;
  options.batchSize = context.param("batch_size").get<std::int64_t>();
  options.firstExample = context.param("first_example").get<std::int64_t>();
  options.maxExamples = context.param("max_examples").get<std::int64_t>();
  options.cancel = context.cancel;
  // How many of a task's examples the range takes.
  const auto taken = [&](const io::TaskData& task) {
    const auto available = std::max<std::int64_t>(0, task.size() - options.firstExample);
    return options.maxExamples > 0 ? std::min(available, options.maxExamples) : available;
  };
  std::int64_t total = 0, done = 0;
  for (const auto& task : *tasks->tasks)
    total += taken(task);
  auto scores = std::make_shared<std::vector<eval::TaskScore>>();
  NodeOutputs out;
  out.facts.push_back(classifier->describe());
  double sum = 0;
  for (const auto& task : *tasks->tasks) {
    options.progress = [&](std::int64_t examples, std::int64_t) {
      context.progress(total ? double(done + examples) / double(total) : 0.0, task.name);
    };
    if (taken(task) == 0)
      throw std::runtime_error("task '" + task.name + "' has " + std::to_string(task.size()) +
                               " examples: none from first_example " + std::to_string(options.firstExample));
    scores->push_back(context.ranks ? eval::evaluateOverRanks(*classifier, task, options, *context.ranks)
                                    : eval::evaluate(*classifier, task, options));
    done += taken(task);
    sum += scores->back().accuracy;
    out.facts.push_back(task.name + ": accuracy " + util::percentText(scores->back().accuracy));
  }
  if (!scores->empty())
    out.facts.push_back("mean accuracy " + util::percentText(sum / double(scores->size())));
  ScoresValue value{std::move(scores), inputModelLabel(context, 0, modelValue), inputSourceNode(context, 0)};
  out.results.push_back(value);
  out.values.emplace_back(std::move(value));
  return out;
}

NodeOutputs runCompare(NodeRunContext& context) {
  NodeOutputs out;
  for (const auto& [value, weight] : context.groupInputs()) {
    const auto* scores = std::get_if<ScoresValue>(value);
    if (!scores) throw std::runtime_error("every input of " + context.describe() + " must be scores");
    out.results.push_back(*scores);
    // The mean is over the tasks with an accuracy (a language model's perplexity tasks have none).
    const bool anyAccuracy = std::any_of(scores->scores->begin(), scores->scores->end(),
                                         [](const eval::TaskScore& s) { return s.hasAccuracy(); });
    const std::string mean = anyAccuracy ? util::percentText(meanAccuracy(*scores)) : std::string("—");
    out.facts.push_back(scores->model + ": mean " + mean + " |" + scoresLine(*scores));
  }
  return out;
}

} // namespace

void registerEvaluationRunners(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kSourceTasks, runTasksSource);
  registry.add(graph::node_types::kEvaluate, runEvaluate);
  registry.add(graph::node_types::kCompare, runCompare);
}

} // namespace mg::engine
