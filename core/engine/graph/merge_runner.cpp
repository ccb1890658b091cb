// Merge nodes: one runner for every core/ops method, building the same MergeRecipe the CLI builds.
#include <stdexcept>

#include "engine/graph/builtin_runners.h"
#include "engine/graph/node_runner.h"
#include "engine/graph/value_access.h"
#include "engine/merged_weights.h"
#include "graph/builtin_node_types.h"
#include "ops/merge_method.h"

namespace mg::engine {

namespace {

NodeOutputs runMerge(NodeRunContext& context) {
  const auto method = graph::mergeMethodOf(context.nodeData().type).value();
  const auto& info = ops::mergeMethod(method);
  const NodeValue& base = context.input("base");

  MergeRecipe recipe;
  recipe.method = method;
  if (info.base != ops::BaseUse::Unused && !std::holds_alternative<std::monostate>(base)) {
    recipe.base = modelWeights(context, base, NodeValue{}, "base");
    recipe.baseLabel = std::get<ModelValue>(base).label;
  }
  const auto group = context.groupInputs();
  const std::size_t first = context.document.nodeType(context.node)->fixedInputCount();
  for (std::size_t i = 0; i < group.size(); ++i) {
    const std::string label = context.document.inputLabel(context.node, first + i);
    recipe.inputs.push_back(
        {modelWeights(context, *group[i].first, base, label), group[i].second, valueLabel(*group[i].first)});
  }
  for (const auto& [name, value] : context.nodeData().params) {
    if (name == "seed") {
      recipe.seed = value.get<std::uint64_t>();
    } else {
      recipe.params.push_back({name, "", {graph::valueText(value)}});
    }
  }

  auto merged = std::make_shared<const MergedWeights>(std::move(recipe));
  ModelValue model{merged, context.nodeData().title, nullptr, {}};
  // The config of the exported folder comes from the base, else from the first input that has one.
  if (const auto* b = std::get_if<ModelValue>(&base)) model.config = b->config;
  for (const auto& [value, weight] : group) {
    if (const auto* m = std::get_if<ModelValue>(value); m && !model.config) model.config = m->config;
  }
  model.provenance = {{"merganser_recipe", merged->provenanceJson()}, {"merge_method", method}};
  NodeOutputs out;
  out.warnings = merged->warnings();
  out.facts.push_back(info.title + " of " + std::to_string(group.size()) + " inputs, " +
                      std::to_string(merged->tensors().size()) + " tensors");
  out.values.emplace_back(std::move(model));
  return out;
}

} // namespace

void registerMergeRunners(NodeRunnerRegistry& registry) {
  for (const auto& method : ops::mergeMethods()) {
    if (!method.needsData) registry.add(graph::mergeNodeTypeId(method.name), runMerge);
  }
}

} // namespace mg::engine
