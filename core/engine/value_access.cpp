#include "engine/value_access.h"

#include <stdexcept>

#include "weights/adapter_weights.h"
#include "weights/linear_combination.h"

namespace mg::engine {

namespace {

[[noreturn]] void fail(const NodeRunContext& context, const std::string& inputLabel,
                       const std::string& problem) {
  throw std::runtime_error("input '" + inputLabel + "' of " + context.describe() + ": " + problem);
}

std::shared_ptr<const AdapterWeights> applied(const NodeRunContext& context, const AdapterValue& adapter,
                                              const NodeValue& base, const std::string& inputLabel) {
  const auto* model = std::get_if<ModelValue>(&base);
  if (!model)
    fail(context, inputLabel, "a LoRA adapter needs the base it was trained on: connect it to 'base'");
  return std::make_shared<AdapterWeights>(model->weights, adapter.adapter);
}

} // namespace

WeightSetPtr modelWeights(const NodeRunContext& context, const NodeValue& value, const NodeValue& base,
                          const std::string& inputLabel) {
  if (const auto* model = std::get_if<ModelValue>(&value)) return model->weights;
  if (const auto* adapter = std::get_if<AdapterValue>(&value))
    return applied(context, *adapter, base, inputLabel);
  if (std::holds_alternative<std::monostate>(value)) fail(context, inputLabel, "nothing is connected");
  fail(context, inputLabel, "expected a model");
}

WeightSetPtr deltaWeights(const NodeRunContext& context, const NodeValue& value, const NodeValue& base,
                          const std::string& inputLabel) {
  if (const auto* delta = std::get_if<DeltaValue>(&value)) return delta->deltas;
  if (const auto* adapter = std::get_if<AdapterValue>(&value)) {
    const auto* model = std::get_if<ModelValue>(&base);
    if (!model) {
      fail(context, inputLabel,
           "an adapter used as a task vector needs its base here; turn it into a delta with Subtract "
           "(base, adapter) first");
    }
    auto adapted = applied(context, *adapter, base, inputLabel);
    return std::make_shared<LinearCombination>(
        std::vector<std::pair<WeightSetPtr, double>>{{adapted, 1.0}, {model->weights, -1.0}},
        "delta of " + adapter->folder);
  }
  if (std::holds_alternative<std::monostate>(value)) fail(context, inputLabel, "nothing is connected");
  fail(context, inputLabel, "expected a task vector");
}

const TasksValue* classifierTasks(const NodeRunContext& context, const std::string& input) {
  const auto* tasks = std::get_if<TasksValue>(&context.input(input));
  if (tasks && tasks->textTasks)
    throw std::runtime_error("input '" + input + "' of " + context.describe() +
                             ": text tasks (JSON Lines) are scored by Evaluate nodes; this node runs on "
                             "classifier task files (.h5)");
  return tasks;
}

std::string valueLabel(const NodeValue& value) {
  if (const auto* model = std::get_if<ModelValue>(&value)) return model->label;
  if (const auto* adapter = std::get_if<AdapterValue>(&value)) return adapter->folder;
  if (const auto* delta = std::get_if<DeltaValue>(&value)) return delta->label;
  if (const auto* written = std::get_if<WrittenValue>(&value)) return written->path;
  if (const auto* tasks = std::get_if<TasksValue>(&value)) return tasks->path;
  if (const auto* scores = std::get_if<ScoresValue>(&value)) return "scores of " + scores->model;
  return "nothing";
}

} // namespace mg::engine
