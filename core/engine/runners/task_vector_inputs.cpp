#include "engine/runners/task_vector_inputs.h"

#include <filesystem>
#include <stdexcept>

#include "engine/runners/classifier_access.h"
#include "engine/value_access.h"
#include "weights/linear_combination.h"
#include "graph/node_type.h"

namespace mg::engine {

std::string pointName(const NodeRunContext& context, graph::NodeId node, const NodeValue& value) {
  const graph::Node* source = context.document.node(node);
  if (source && !source->title.empty()) return source->title;
  std::filesystem::path path(valueLabel(value));
  if (path.filename().empty()) path = path.parent_path();
  return path.filename().empty() ? valueLabel(value) : path.filename().string();
}

std::vector<embed::TaskVector> taskVectors(const NodeRunContext& context, std::vector<graph::NodeId>& nodes) {
  const NodeValue& base = context.input("base");
  const auto* baseModel = std::get_if<ModelValue>(&base);
  const auto* type = context.document.nodeType(context.node);
  const std::string groupName = type && type->variadicInput() ? type->variadicInput()->name : "items";
  std::vector<embed::TaskVector> items;
  const auto group = context.groupInputs();
  for (std::size_t k = 0; k < group.size(); ++k) {
    const NodeValue& value = *group[k].first;
    const std::size_t input = std::size_t(group[k].first - context.inputs.data());
    const std::string label = groupName + " " + std::to_string(k + 1);
    embed::TaskVector item;
    nodes.push_back(inputSourceNode(context, input));
    item.name = pointName(context, nodes.back(), value);
    if (const auto* adapter = std::get_if<AdapterValue>(&value)) {
      item.adapter = adapter->adapter;
      if (baseModel) item.base = baseModel->weights;
    } else if (const auto* delta = std::get_if<DeltaValue>(&value)) {
      item.deltas = delta->deltas;
    } else if (const auto* model = std::get_if<ModelValue>(&value)) {
      if (!baseModel)
        throw std::runtime_error("input '" + label + "' of " + context.describe() +
                                 ": a full model's task vector is the model minus its base: connect 'base'");
      item.deltas = std::make_shared<LinearCombination>(
          std::vector<std::pair<WeightSetPtr, double>>{{model->weights, 1.0}, {baseModel->weights, -1.0}},
          "task vector of " + model->label);
    } else {
      throw std::runtime_error("input '" + label + "' of " + context.describe() +
                               ": expected a model or adapter");
    }
    items.push_back(std::move(item));
  }
  return items;
}

} // namespace mg::engine
