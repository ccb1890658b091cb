// Task-vector arithmetic: Subtract (model − base), Scale (f · delta), Add deltas (base + Σ w_i · δ_i).
#include "engine/runners/builtin_runners.h"
#include "engine/node_runner.h"
#include "engine/value_access.h"
#include "weights/linear_combination.h"
#include "graph/builtin_node_types.h"

namespace mg::engine {

namespace {

using Terms = std::vector<std::pair<WeightSetPtr, double>>;

NodeOutputs deltaOutput(WeightSetPtr deltas, std::string label, std::string base) {
  NodeOutputs out;
  out.facts.push_back(std::to_string(deltas->tensors().size()) + " tensors");
  out.values.emplace_back(DeltaValue{std::move(deltas), std::move(label), std::move(base)});
  return out;
}

NodeOutputs runSubtract(NodeRunContext& context) {
  const NodeValue& base = context.input("base");
  const auto baseWeights = modelWeights(context, base, NodeValue{}, "base");
  const auto model = modelWeights(context, context.input("model"), base, "model");
  const std::string label = valueLabel(context.input("model")) + " − " + valueLabel(base);
  return deltaOutput(std::make_shared<LinearCombination>(Terms{{model, 1.0}, {baseWeights, -1.0}}, label),
                     label, valueLabel(base));
}

NodeOutputs runScale(NodeRunContext& context) {
  const double factor = context.param("factor").get<double>();
  const auto delta = deltaWeights(context, context.input("delta"), NodeValue{}, "delta");
  const std::string label = context.paramText("factor") + " × " + valueLabel(context.input("delta"));
  const auto* input = std::get_if<DeltaValue>(&context.input("delta"));
  return deltaOutput(std::make_shared<LinearCombination>(Terms{{delta, factor}}, label), label,
                     input ? input->base : std::string());
}

NodeOutputs runAddDeltas(NodeRunContext& context) {
  const NodeValue& base = context.input("base");
  const auto* baseModel = std::get_if<ModelValue>(&base);
  Terms terms{{modelWeights(context, base, NodeValue{}, "base"), 1.0}};
  const auto group = context.groupInputs();
  const std::size_t first = context.document.nodeType(context.node)->fixedInputCount();
  for (std::size_t i = 0; i < group.size(); ++i) {
    const auto label = context.document.inputLabel(context.node, first + i);
    terms.emplace_back(deltaWeights(context, *group[i].first, base, label), group[i].second);
  }
  ModelValue model{std::make_shared<LinearCombination>(terms, context.nodeData().title),
                   context.nodeData().title,
                   baseModel ? baseModel->config : nullptr,
                   {}};
  NodeOutputs out;
  out.facts.push_back("base + " + std::to_string(group.size()) + " task vectors");
  out.values.emplace_back(std::move(model));
  return out;
}

} // namespace

void registerOperatorRunners(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kSubtract, runSubtract);
  registry.add(graph::node_types::kScale, runScale);
  registry.add(graph::node_types::kAddDelta, runAddDeltas);
}

} // namespace mg::engine
