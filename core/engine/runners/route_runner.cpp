// The Router node: a library of LoRA specialists of one base, routed per input, scored per task like an
// Evaluate node's model so that Compare charts it beside the merges ("Router (arrow, top-1)"). Classifier
// task files route the classifier (route/routed_classifier.h); text tasks a language model (text_routing.h).
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "util/percent_text.h"
#include "engine/runners/builtin_runners.h"
#include "engine/runners/classifier_access.h"
#include "engine/runners/text_evaluation_runner.h"
#include "engine/runners/text_routing.h"
#include "engine/node_runner.h"
#include "engine/value_access.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "io/peft_adapter.h"
#include "io/task_file.h"
#include "route/routed_classifier.h"

namespace mg::engine {

namespace {

// "rotate" for ".../adapters/rotate" or ".../adapters/rotate/": the name tasks are matched by.
std::string folderName(const std::string& folder) {
  auto path = std::filesystem::path(folder).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();
  return path.filename().string();
}

// The Router's confusion: one row per task, one column per specialist, the share of the task's examples whose
// largest mixing weight went to that specialist (TaskScore::routedTo/routedCounts), so each row sums to 1.
MatrixValue routingMatrix(const std::string& label, const std::vector<eval::TaskScore>& scores,
                          graph::NodeId tasksNode) {
  MatrixValue matrix;
  matrix.kind = "routing";
  matrix.title = "Routing of " + label;
  for (const auto& score : scores) // every task lists every specialist, in the library's order
    for (const auto& name : score.routedTo)
      if (std::find(matrix.columns.begin(), matrix.columns.end(), name) == matrix.columns.end())
        matrix.columns.push_back(name);
  double routingSum = 0;
  int routed = 0;
  for (const auto& score : scores) {
    std::vector<double> row(matrix.columns.size(), 0.0);
    std::int64_t total = 0;
    for (const auto count : score.routedCounts)
      total += count;
    for (std::size_t j = 0; j < score.routedTo.size() && j < score.routedCounts.size(); ++j) {
      const auto column = std::find(matrix.columns.begin(), matrix.columns.end(), score.routedTo[j]);
      if (total > 0)
        row[std::size_t(column - matrix.columns.begin())] += double(score.routedCounts[j]) / total;
    }
    matrix.rows.push_back(score.task);
    matrix.rowNodes.push_back(tasksNode);
    matrix.values.push_back(std::move(row));
    if (score.routingAccuracy) {
      routingSum += *score.routingAccuracy;
      ++routed;
    }
  }
  matrix.note = "share of each task's examples whose largest mixing weight went to each specialist (rows sum "
                "to 1); a task named after a specialist is routed well when its row peaks in that column. ";
  matrix.note +=
      routed ? "Routing accuracy (mean over the " + std::to_string(routed) +
                   " tasks that have a specialist): " + util::percentText(routingSum / routed)
             : std::string("No task is named after a specialist, so routing accuracy is not measured.");
  return matrix;
}

route::RouterOptions routerOptions(const NodeRunContext& context) {
  route::RouterOptions options;
  const auto method = route::routerMethodFromName(context.paramText("method"));
  if (!method) throw std::runtime_error("unknown routing method '" + context.paramText("method") + "'");
  options.method = *method;
  options.topK = static_cast<int>(context.param("top_k").get<std::int64_t>());
  options.temperature = context.param("temperature").get<double>();
  options.seed = static_cast<std::uint64_t>(context.param("seed").get<std::int64_t>());
  options.fitExamples = context.param("fit_examples").get<std::int64_t>();
  options.arrowPerLayer = context.paramText("arrow_scores") != "summed";
  return options;
}

// The routed model's scores on classifier task files: the base's weights and the adapters as a library.
std::shared_ptr<std::vector<eval::TaskScore>>
routeClassifierTasks(NodeRunContext& context, const ModelValue& base, const TasksValue& tasks,
                     const route::RouterOptions& options, std::string& router, std::string& model) {
  std::vector<std::pair<std::string, std::shared_ptr<const io::PeftAdapter>>> adapters;
  for (const auto& [value, weight] : context.groupInputs())
    adapters.emplace_back(folderName(std::get<AdapterValue>(*value).folder),
                          std::get<AdapterValue>(*value).adapter);
  context.progress(-1, "loading the specialists");
  auto library = std::make_shared<const route::AdapterLibrary>(base.weights, adapters);
  context.progress(-1, "fitting the router");
  // Fitted on 'fit' when it is connected (held-out examples), else on the first examples of 'tasks'.
  const auto* fit = classifierTasks(context, "fit");
  std::shared_ptr<const route::Router> routing =
      route::makeRouter(*library, fit ? *fit->tasks : *tasks.tasks, options);
  const route::RoutedClassifier classifier(library, routing);
  router = routing->describe();
  model = classifier.describe();

  eval::EvaluationOptions evaluation;
  evaluation.cancel = context.cancel;
  std::int64_t total = 0, done = 0;
  for (const auto& task : *tasks.tasks)
    total += task.size();
  auto scores = std::make_shared<std::vector<eval::TaskScore>>();
  for (const auto& task : *tasks.tasks) {
    evaluation.progress = [&](std::int64_t examples, std::int64_t) {
      context.progress(total ? double(done + examples) / double(total) : 0.0, task.name);
    };
    scores->push_back(route::evaluateRouted(classifier, task, evaluation));
    done += task.size();
  }
  return scores;
}

NodeOutputs runRouter(NodeRunContext& context) {
  const auto* base = std::get_if<ModelValue>(&context.input("base"));
  if (!base) throw std::runtime_error("input 'base' of " + context.describe() + ": expected the base model");
  const auto* textTasks = std::get_if<TasksValue>(&context.input("tasks"));
  if (textTasks && !textTasks->textTasks) textTasks = nullptr;
  const auto* tasks = textTasks ? textTasks : classifierTasks(context, "tasks");
  if (!tasks) throw std::runtime_error("input 'tasks' of " + context.describe() + ": expected task data");
  std::vector<std::pair<std::string, std::string>> adapters; // (name, folder)
  for (const auto& [value, weight] : context.groupInputs()) {
    const auto* adapter = std::get_if<AdapterValue>(value);
    if (!adapter)
      throw std::runtime_error("every input of 'adapters' of " + context.describe() +
                               " must be a LoRA adapter");
    adapters.emplace_back(folderName(adapter->folder), adapter->folder);
  }
  if (adapters.empty())
    throw std::runtime_error(context.describe() + ": connect the adapters to route among");

  const auto options = routerOptions(context);
  std::shared_ptr<std::vector<eval::TaskScore>> scores;
  std::string router, model;
  if (textTasks) { // language models: the base's folder with the adapters applied unmerged
    auto routed = routeTextTasks(context, *base, *textTasks, std::get_if<TasksValue>(&context.input("fit")),
                                 adapters, options);
    scores = std::move(routed.scores);
    router = std::move(routed.router);
    model = routed.model + ", routed (" + router + ")";
  } else {
    scores = routeClassifierTasks(context, *base, *tasks, options, router, model);
  }

  NodeOutputs out;
  out.facts.push_back(model);
  double accuracySum = 0, routingSum = 0;
  int accuracyTasks = 0, routed = 0;
  for (const auto& score : *scores) {
    std::string line = factOf(score);
    if (score.hasAccuracy()) {
      accuracySum += score.accuracy;
      ++accuracyTasks;
    }
    if (score.routingAccuracy) {
      line += ", routed to its specialist " + util::percentText(*score.routingAccuracy);
      routingSum += *score.routingAccuracy;
      ++routed;
    }
    line += " (";
    for (std::size_t j = 0; j < score.routedTo.size(); ++j)
      line += (j ? ", " : "") + score.routedTo[j] + " " + std::to_string(score.routedCounts[j]);
    out.facts.push_back(line + ")");
  }
  if (accuracyTasks)
    out.facts.push_back("mean accuracy " + util::percentText(accuracySum / double(accuracyTasks)));
  if (routed)
    out.facts.push_back("routing accuracy " + util::percentText(routingSum / routed));
  else
    out.warnings.push_back("no task is named after an adapter, so routing accuracy is not measured");

  // Charts name the router by its title, or by its method when it keeps the type's title.
  const auto& node = context.nodeData();
  const std::string label =
      node.title.empty() || node.title == "Router" ? "Router (" + router + ")" : node.title;
  const auto tasksInput = context.document.nodeType(context.node)->inputIndex("tasks");
  out.matrices.push_back(routingMatrix(label, *scores, inputSourceNode(context, tasksInput.value_or(1))));
  ScoresValue value{std::move(scores), label, context.node};
  out.results.push_back(value);
  out.values.emplace_back(std::move(value));
  return out;
}

} // namespace

void registerRouteRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kRouter, runRouter);
}

} // namespace mg::engine
