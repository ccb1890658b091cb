#include "engine/runners/merged_model.h"

#include <algorithm>
#include <stdexcept>

#include "engine/value_access.h"
#include "graph/merge_rules.h"
#include "io/hf_model_folder.h"
#include "ops/method_schemas.h"

namespace mg::engine {

namespace {

std::string textParam(const std::map<std::string, graph::ParamValue>& params, const std::string& name) {
  const auto found = params.find(name);
  return found != params.end() && found->second.is_string() ? found->second.get<std::string>()
                                                            : std::string();
}

// The node's slices, rules, dtype and tokenizer onto `recipe` (its inputs already in place): the one
// translation of a merge node's recipe texts (graph/merge_rules.h), for the YAML import as for the editor.
void applyRecipeParams(MergeRecipe& recipe, const std::map<std::string, graph::ParamValue>& params) {
  for (const auto& slice : graph::parseMergeSlices(textParam(params, "slices"))) {
    OutputSlice out;
    for (const auto& source : slice) {
      if (source.input && *source.input >= recipe.inputs.size())
        throw std::invalid_argument("slices name input " + std::to_string(*source.input + 1) + " of " +
                                    std::to_string(recipe.inputs.size()));
      out.sources.push_back(
          {source.input ? static_cast<int>(*source.input) : -1, source.layerStart, source.layerEnd, {}});
    }
    recipe.slices.push_back(std::move(out));
  }
  for (const auto& rule : graph::parseMergeRules(textParam(params, "rules"))) {
    ParamRule parsed = parseParamRule(rule.body());
    const auto where = "rule '" + rule.text() + "' names ";
    switch (rule.scope) {
    case graph::MergeRuleText::Scope::All: recipe.params.push_back(std::move(parsed)); break;
    case graph::MergeRuleText::Scope::Input:
      if (rule.input >= recipe.inputs.size())
        throw std::invalid_argument(where + "an input that is not connected");
      recipe.inputs[rule.input].params.push_back(std::move(parsed));
      break;
    case graph::MergeRuleText::Scope::Slice:
      if (rule.slice >= recipe.slices.size())
        throw std::invalid_argument(where + "a slice 'slices' does not have");
      recipe.slices[rule.slice].params.push_back(std::move(parsed));
      break;
    case graph::MergeRuleText::Scope::SliceSource:
      if (rule.slice >= recipe.slices.size() || rule.source >= recipe.slices[rule.slice].sources.size())
        throw std::invalid_argument(where + "a slice source 'slices' does not have");
      recipe.slices[rule.slice].sources[rule.source].params.push_back(std::move(parsed));
      break;
    }
  }
  if (const auto dtype = textParam(params, "dtype"); !dtype.empty())
    recipe.computeDtype = parseComputeDtype(dtype);
  const auto tokenizer = textParam(params, "tokenizer_source");
  if (tokenizer == "base") recipe.tokenizer.source = TokenizerSource::Base;
  if (tokenizer == "union") recipe.tokenizer.source = TokenizerSource::Union;
  if (tokenizer == "model") {
    recipe.tokenizer.source = TokenizerSource::Model;
    recipe.tokenizer.model = textParam(params, "tokenizer_model");
  }
  if (const auto pad = params.find("pad_to_multiple_of"); pad != params.end())
    recipe.tokenizer.padToMultipleOf = pad->second.get<int>();
  recipe.tokenizer.chatTemplate = textParam(params, "chat_template");
}

} // namespace

MergedModel mergeInputs(const NodeRunContext& context, const std::string& method, const NodeValue& base,
                        const std::vector<std::pair<const NodeValue*, double>>& inputs,
                        const std::vector<std::string>& inputLabels,
                        const std::map<std::string, graph::ParamValue>& params, const std::string& title,
                        const std::vector<WeightSetPtr>& statistics) {
  const auto& info = ops::mergeMethod(method);
  MergeRecipe recipe;
  recipe.method = method;
  if (info.base != ops::BaseUse::Unused && !std::holds_alternative<std::monostate>(base)) {
    recipe.base = modelWeights(context, base, NodeValue{}, "base");
    recipe.baseLabel = std::get<ModelValue>(base).label;
  }
  // The model folders (their tokenizer files), for a tokenizer source or chat template.
  const auto folderOf = [](const NodeValue& value) {
    const auto* model = std::get_if<ModelValue>(&value);
    return model && model->config ? model->config->path() : std::string();
  };
  if (recipe.base) recipe.baseFolder = folderOf(base);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    MergeInput input;
    input.weights = modelWeights(context, *inputs[i].first, base, inputLabels.at(i));
    input.weight = inputs[i].second;
    input.label = valueLabel(*inputs[i].first);
    input.folder = folderOf(*inputs[i].first);
    if (i < statistics.size()) input.statistics = statistics[i];
    recipe.inputs.push_back(std::move(input));
  }
  // The rules first: the first rule of a name that matches wins, and the node's own value is the fallback.
  applyRecipeParams(recipe, params);
  for (const auto& [name, value] : params) {
    if (name == "seed") recipe.seed = value.get<std::uint64_t>();
    if (name != "seed" && !graph::isMergeRecipeParam(name))
      recipe.params.push_back({name, "", {graph::valueText(value)}});
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
  out.model.tokenizer = std::shared_ptr<const TokenizerFiles>(out.merged, &out.merged->tokenizerFiles());
  return out;
}

} // namespace mg::engine
