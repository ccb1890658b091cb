// Interference: for each specialist (an adapter on the base, or a fine-tune) and each task, how far it moves
// the base's features on the task's inputs (eval/feature_interference.h), as a heatmap matrix.
#include <iomanip>
#include <sstream>

#include "engine/result_labels.h"
#include "engine/runners/builtin_runners.h"
#include "engine/runners/classifier_access.h"
#include "engine/runners/text_interference.h"
#include "eval/feature_interference.h"
#include "graph/builtin_node_types.h"

namespace mg::engine {

namespace {

// Classifier tasks: each item loaded as a classifier (an adapter applied to the base) against the base.
InterferenceRows classifierInterferenceRows(NodeRunContext& context, const TasksValue& tasks,
                                            std::int64_t examples) {
  const NodeValue& baseValue = context.input("base");
  context.progress(-1, "loading the base model");
  std::shared_ptr<const eval::Classifier> base = loadInputClassifier(context, baseValue, baseValue, "base");
  return [&context, &tasks, base, examples](std::size_t i, const NodeValue& value) {
    const auto model =
        loadInputClassifier(context, value, context.input("base"), "items " + std::to_string(i + 1));
    std::vector<double> row;
    for (const auto& task : *tasks.tasks)
      row.push_back(eval::featureShift(*base, *model, task, examples, context.cancel));
    return row;
  };
}

NodeOutputs runInterference(NodeRunContext& context) {
  const auto* tasks = std::get_if<TasksValue>(&context.input("tasks"));
  if (!tasks) throw std::runtime_error("input 'tasks' of " + context.describe() + ": expected task data");
  const auto examples = context.param("examples").get<std::int64_t>();
  const auto items = context.groupInputs();
  const bool text = tasks->textTasks != nullptr;
  const auto rowOf = text ? textInterferenceRows(context, *tasks, items, examples)
                          : classifierInterferenceRows(context, *tasks, examples);

  MatrixValue matrix;
  matrix.kind = "interference";
  matrix.title = labels::kInterferenceTitle;
  matrix.note =
      std::string("mean |f_specialist(x) - f_base(x)| / mean |f_base(x)| on each task's inputs, f = ") +
      (text ? "the final hidden states the LM head reads, over every token of the task's texts"
            : "the features the head reads") +
      ": a specialist that moves them far on other tasks' inputs disturbs the other specialists when "
      "their updates are merged";
  if (text)
    for (const auto& task : *tasks->textTasks)
      matrix.columns.push_back(task.name);
  else
    for (const auto& task : *tasks->tasks)
      matrix.columns.push_back(task.name);

  NodeOutputs out;
  const std::size_t first = context.document.nodeType(context.node)->fixedInputCount(); // items follow
  for (std::size_t i = 0; i < items.size(); ++i) {
    const NodeValue& value = *items[i].first;
    const std::string label = inputModelLabel(context, first + i, value);
    context.progress(double(i) / double(items.size()), label);
    std::vector<double> row = rowOf(i, value);
    std::ostringstream fact;
    fact << label << ":";
    for (std::size_t t = 0; t < row.size(); ++t)
      fact << " " << matrix.columns[t] << " " << std::fixed << std::setprecision(2) << row[t];
    matrix.rows.push_back(label);
    matrix.rowNodes.push_back(inputSourceNode(context, first + i));
    matrix.values.push_back(std::move(row));
    out.facts.push_back(fact.str());
  }
  out.matrices.push_back(std::move(matrix));
  return out;
}

} // namespace

void registerInterferenceRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kInterference, runInterference);
}

} // namespace mg::engine
