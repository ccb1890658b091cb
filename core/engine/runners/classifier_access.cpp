#include "engine/runners/classifier_access.h"

#include "engine/value_access.h"

namespace mg::engine {

std::unique_ptr<eval::Classifier> loadInputClassifier(const NodeRunContext& context, const NodeValue& model,
                                                      const NodeValue& base, const std::string& inputLabel,
                                                      const std::string& torchscript) {
  const auto weights = modelWeights(context, model, base, inputLabel);
  const auto* modelValue = std::get_if<ModelValue>(&model);
  const auto* baseValue = std::get_if<ModelValue>(&base);
  const auto* config = modelValue && modelValue->config ? modelValue->config.get()
                       : baseValue                      ? baseValue->config.get()
                                                        : nullptr;
  return eval::loadClassifier(*weights, config, torchscript);
}

graph::NodeId inputSourceNode(const NodeRunContext& context, std::size_t index) {
  const auto source = context.document.source(graph::PortRef{context.node, index});
  return source ? source->node : graph::kNoNode;
}

std::string inputModelLabel(const NodeRunContext& context, std::size_t index, const NodeValue& value) {
  const graph::Node* source = context.document.node(inputSourceNode(context, index));
  return source && !source->title.empty() ? source->title : valueLabel(value);
}

} // namespace mg::engine
