#include "engine/runners/merged_model.h"

#include "engine/value_access.h"
#include "ops/method_schemas.h"

namespace mg::engine {

MergedModel mergeInputs(const NodeRunContext& context, const std::string& method, const NodeValue& base,
                        const std::vector<std::pair<const NodeValue*, double>>& inputs,
                        const std::vector<std::string>& inputLabels,
                        const std::map<std::string, graph::ParamValue>& params, const std::string& title) {
  const auto& info = ops::mergeMethod(method);
  MergeRecipe recipe;
  recipe.method = method;
  if (info.base != ops::BaseUse::Unused && !std::holds_alternative<std::monostate>(base)) {
    recipe.base = modelWeights(context, base, NodeValue{}, "base");
    recipe.baseLabel = std::get<ModelValue>(base).label;
  }
  for (std::size_t i = 0; i < inputs.size(); ++i)
    recipe.inputs.push_back({modelWeights(context, *inputs[i].first, base, inputLabels.at(i)),
                             inputs[i].second, valueLabel(*inputs[i].first)});
  for (const auto& [name, value] : params) {
    if (name == "seed") {
      recipe.seed = value.get<std::uint64_t>();
    } else {
      recipe.params.push_back({name, "", {graph::valueText(value)}});
    }
  }

  MergedModel out;
  out.merged = std::make_shared<const MergedWeights>(std::move(recipe));
  out.model = ModelValue{out.merged, title, nullptr, {}};
  // The config of the exported folder comes from the base, else from the first input that has one.
  if (const auto* b = std::get_if<ModelValue>(&base)) out.model.config = b->config;
  for (const auto& [value, weight] : inputs) {
    if (const auto* m = std::get_if<ModelValue>(value); m && !out.model.config) out.model.config = m->config;
  }
  out.model.provenance = {{"merganser_recipe", out.merged->provenanceJson()}, {"merge_method", method}};
  return out;
}

} // namespace mg::engine
