// Interference: for each specialist (an adapter on the base, or a fine-tune) and each task, how far it moves
// the base's features on the task's inputs (eval/feature_interference.h), as a heatmap matrix.
#include <iomanip>
#include <sstream>

#include "engine/runners/builtin_runners.h"
#include "engine/runners/classifier_access.h"
#include "engine/value_access.h"
#include "eval/feature_interference.h"
#include "graph/builtin_node_types.h"

namespace mg::engine {

namespace {

NodeOutputs runInterference(NodeRunContext& context) {
  const NodeValue& baseValue = context.input("base");
  const auto* tasks = classifierTasks(context, "tasks");
  if (!tasks) throw std::runtime_error("input 'tasks' of " + context.describe() + ": expected task data");
  const auto examples = context.param("examples").get<std::int64_t>();
  context.progress(-1, "loading the base model");
  const auto base = loadInputClassifier(context, baseValue, baseValue, "base");

  MatrixValue matrix;
  matrix.kind = "interference";
  matrix.title = "Feature interference";
  matrix.note =
      "mean |f_specialist(x) - f_base(x)| / mean |f_base(x)| on each task's inputs, f = the features "
      "the head reads: a specialist that moves them far on other tasks' inputs disturbs the other "
      "specialists when their updates are merged";
  for (const auto& task : *tasks->tasks)
    matrix.columns.push_back(task.name);

  NodeOutputs out;
  const auto items = context.groupInputs();
  const std::size_t first = context.document.nodeType(context.node)->fixedInputCount(); // items follow
  for (std::size_t i = 0; i < items.size(); ++i) {
    const NodeValue& value = *items[i].first;
    const std::string label = inputModelLabel(context, first + i, value);
    context.progress(double(i) / double(items.size()), label);
    const auto model = loadInputClassifier(context, value, baseValue, "items " + std::to_string(i + 1));
    std::vector<double> row;
    std::ostringstream fact;
    fact << label << ":";
    for (const auto& task : *tasks->tasks) {
      row.push_back(eval::featureShift(*base, *model, task, examples, context.cancel));
      fact << " " << task.name << " " << std::fixed << std::setprecision(2) << row.back();
    }
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
