// One node type per merge method of core/ops: ports, parameters and input rules all come from the
// method's schema (ops::MethodInfo), so the editor, the CLI and the engine agree on them.
#include <algorithm>
#include <stdexcept>

#include "graph/issue_texts.h"
#include "graph/builtin_node_types.h"
#include "graph/document.h"
#include "graph/merge_rules.h"
#include "graph/node_type_builders.h"
#include "graph/node_type_registry.h"
#include "graph/validation.h"
#include "ops/method_schemas.h"

namespace mg::graph {

namespace {

ParamKind kindOf(ops::ParamType type) {
  switch (type) {
  case ops::ParamType::Bool: return ParamKind::Bool;
  case ops::ParamType::Int: return ParamKind::Int;
  case ops::ParamType::Real: return ParamKind::Real;
  case ops::ParamType::RealList: return ParamKind::RealList;
  case ops::ParamType::Choice: return ParamKind::Choice;
  }
  throw std::logic_error("unknown ops::ParamType");
}

ParamDef paramFrom(const ops::ParamSpec& spec) {
  ParamDef def;
  def.name = spec.name;
  def.kind = kindOf(spec.type);
  def.min = spec.min;
  def.max = spec.max;
  def.minInclusive = spec.minInclusive;
  def.maxInclusive = spec.maxInclusive;
  def.choices = spec.choices;
  def.help = spec.help;
  def.aliases = spec.aliases;
  def.valueAliases = spec.valueAliases;
  if (auto error = parseValue(def, spec.defaultValue, def.defaultValue)) {
    throw std::logic_error("merge parameter default: " + *error);
  }
  return def;
}

std::string baseHelp(const ops::MethodInfo& method) {
  if (method.needsData) return "The base model the adapters among the inputs apply to (optional)";
  switch (method.base) {
  case ops::BaseUse::Required: return "The base model the inputs were fine-tuned from (required)";
  case ops::BaseUse::Optional: return "The base model (optional: with it, the method works on task vectors)";
  case ops::BaseUse::Unused: break;
  }
  return "Not used by " + method.title + ": connect every model to 'models'";
}

std::string countText(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " input" : " inputs");
}

// `counted` inputs (a base counting as one where the method says so) against the method's limits.
template <typename Add>
void checkInputCount(const ops::MethodInfo& method, std::size_t counted, const std::string& who,
                     const Add& add) {
  const std::string note = method.baseCountsAsInput ? " (a base counts as one)" : "";
  if (method.minInputs == method.maxInputs && counted != method.minInputs) {
    add(who + " needs exactly " + countText(method.minInputs) + note + ", got " + std::to_string(counted));
  } else if (counted < method.minInputs) {
    add(who + " needs at least " + countText(method.minInputs) + note + ", got " + std::to_string(counted));
  } else if (method.maxInputs != 0 && counted > method.maxInputs) {
    add(who + " takes at most " + countText(method.maxInputs) + note + ", got " + std::to_string(counted));
  }
}

// The rules and slices name parameters the method reads, inputs that are connected and slices that exist
// (their syntax is the parameters' own check).
template <typename Add>
void checkRecipeTexts(const ops::MethodInfo& method, const Document& document, NodeId id,
                      std::size_t connected, const Add& add) {
  std::vector<SliceText> slices;
  std::vector<MergeRuleText> rules;
  try {
    slices = parseMergeSlices(document.param(id, "slices")->get<std::string>());
    rules = parseMergeRules(document.param(id, "rules")->get<std::string>());
  } catch (const std::exception&) {
    return; // reported by the parameter's check
  }
  for (const auto& slice : slices) {
    for (const auto& source : slice) {
      if (source.input && *source.input >= connected)
        add("slices name input " + std::to_string(*source.input + 1) + " of 'models', which has " +
                countText(connected),
            std::nullopt, "slices");
      if (!source.input && !document.source({id, *document.nodeType(id)->inputIndex("base")}))
        add("slices name the base, which is not connected", std::nullopt, "slices");
    }
  }
  const auto perModel = ops::perModelParamsOf(method.name);
  for (const auto& rule : rules) {
    const bool scoped =
        rule.scope == MergeRuleText::Scope::Input || rule.scope == MergeRuleText::Scope::SliceSource;
    if (!mergeTakesParam(method.name, rule.name) ||
        (scoped && std::find(perModel.begin(), perModel.end(), rule.name) == perModel.end())) {
      std::string names;
      for (const auto& n : perModel)
        names += (names.empty() ? "" : ", ") + n;
      add("rule '" + rule.text() + "': " + method.title + " does not read " + rule.name +
              (scoped ? " per input (per input: " + (names.empty() ? std::string("none") : names) + ")" : ""),
          std::nullopt, "rules");
    } else if (rule.scope == MergeRuleText::Scope::Input && rule.input >= connected) {
      add("rule '" + rule.text() + "' names an input 'models' does not have", std::nullopt, "rules");
    } else if (rule.scope != MergeRuleText::Scope::All && rule.scope != MergeRuleText::Scope::Input &&
               (rule.slice >= slices.size() || (rule.scope == MergeRuleText::Scope::SliceSource &&
                                                rule.source >= slices[rule.slice].size()))) {
      add("rule '" + rule.text() + "' names a slice (or source) that 'slices' does not have", std::nullopt,
          "rules");
    }
  }
}

// The method's rules on its inputs, as MergedWeights enforces them when it runs: report them on the node
// before that.
void checkMerge(const ops::MethodInfo& method, const Document& document, NodeId id,
                std::vector<Issue>& issues) {
  const NodeType& type = *document.nodeType(id);
  const std::size_t baseInput = *type.inputIndex("base");
  const bool hasBase = document.source({id, baseInput}).has_value();
  const std::size_t connected = document.variadicConnected(id);
  const auto add = [&](std::string message, std::optional<std::size_t> input = std::nullopt,
                       std::string param = {}) {
    issues.push_back({id, Severity::Error, std::move(message), input, std::move(param)});
  };

  if (method.base == ops::BaseUse::Required && !hasBase) {
    issues.push_back(
        patternIssue(id, Severity::Error, issue_texts::kMergeNeedsBase, {method.title}, baseInput));
  }
  if (method.needsData) {
    const std::size_t tasksInput = *type.inputIndex("tasks");
    const auto statisticsInput = type.inputIndex("statistics");
    const bool hasStatistics = statisticsInput && document.source({id, *statisticsInput});
    if (!document.source({id, tasksInput}) && !hasStatistics)
      add(method.title +
              " needs each model's task data: connect a Tasks node to 'tasks' (each model uses the "
              "task named after it, or the tasks in order, one per model)" +
              (statisticsInput ? std::string(", or a Fisher information node to 'statistics'")
                               : std::string()),
          tasksInput);
  }
  if (method.base == ops::BaseUse::Unused && hasBase) {
    issues.push_back(
        patternIssue(id, Severity::Error, issue_texts::kMergeUnusedBase, {method.title}, baseInput));
  }
  if (connected == 0) {
    return; // "no input connected to 'models'" says it already
  }
  // With slices each slice is a merge of its own sources (layer stacking: one per slice); without, the
  // node's inputs are.
  std::vector<SliceText> slices;
  try {
    slices = parseMergeSlices(document.param(id, "slices")->get<std::string>());
  } catch (const std::exception&) {
  }
  if (slices.empty()) {
    checkInputCount(method, connected + (method.baseCountsAsInput && hasBase ? 1 : 0), method.title, add);
  }
  for (std::size_t s = 0; s < slices.size(); ++s) {
    const auto fromBase =
        std::count_if(slices[s].begin(), slices[s].end(), [](const auto& src) { return !src.input; });
    const std::size_t counted =
        slices[s].size() - fromBase + (method.baseCountsAsInput && fromBase > 0 ? 1 : 0);
    checkInputCount(method, counted, "slice " + std::to_string(s + 1) + " of " + method.title, add);
  }
  checkRecipeTexts(method, document, id, connected, add);
  // A list parameter gives one value for all inputs or one per input (ops::MergeParams::densityOf).
  for (const auto& def : type.params) {
    const ParamValue* value = document.param(id, def.name);
    if (def.kind == ParamKind::RealList && value != nullptr && value->is_array() && value->size() > 1 &&
        value->size() != connected) {
      add(def.name + " has " + std::to_string(value->size()) + " values for " + countText(connected) +
              ": give one value, or one per input",
          std::nullopt, def.name);
    }
  }
}

template <typename Parse> std::function<MaybeError(const ParamValue&)> textCheck(Parse parse) {
  return [parse](const ParamValue& value) -> MaybeError {
    try {
      parse(value.get<std::string>());
      return std::nullopt;
    } catch (const std::invalid_argument& e) {
      return std::string("does not parse: ") + e.what();
    }
  };
}

// What a merge node holds beyond the method's own parameters: everything a mergekit recipe can say
// (merge_rules.h for the texts), so an imported YAML file keeps all of it and exports back the same.
std::vector<ParamDef> recipeParams() {
  using build::param;
  auto rules = param("rules", ParamKind::Text, "",
                     "Values per input, per layer and per tensor, one rule per ';': [models N:] "
                     "NAME[@FILTER]=VALUE|grad(V0,V1,...); FILTER a regex or sub:TEXT (mergekit's "
                     "substring); the first matching rule wins");
  rules.check = textCheck(parseMergeRules);
  auto slices = param("slices", ParamKind::Text, "",
                      "Output layers as slices of the inputs (mergekit's slices): INPUT[START:END], sources "
                      "of a slice by ',', slices by ';', INPUT a models number or base; empty: every layer");
  slices.check = textCheck(parseMergeSlices);
  auto dtype =
      build::choice("dtype", {"auto", "f32", "bf16", "f16"},
                    "The dtype the arithmetic runs in (mergekit's dtype); auto: the checkpoints' own");
  auto tokenizer = build::choice("tokenizer_source", {"none", "base", "union", "model"},
                                 "Where the output's vocabulary comes from (mergekit's tokenizer_source); "
                                 "model: the folder in tokenizer_model");
  auto tokenizerModel = param("tokenizer_model", ParamKind::Path, "",
                              "The model folder whose tokenizer the output takes (tokenizer_source: model)");
  tokenizerModel.pathUse = PathUse::ReadFolder;
  auto pad =
      build::number("pad_to_multiple_of", ParamKind::Int, 0, 0, 1 << 20,
                    "Pad the vocabulary to a multiple of this (mergekit's tokenizer.pad_to_multiple_of); "
                    "0: no padding");
  auto chat = param("chat_template", ParamKind::Text, "",
                    "The output's chat template: a name (chatml, llama3, ...), auto, or Jinja text; empty: "
                    "the tokenizer's own");
  return {rules, slices, dtype, tokenizer, tokenizerModel, pad, chat};
}

// Passthrough takes one model per slice but any number of slices (layer stacking), so its group grows
// without bound; checkMerge holds each slice, or the whole node without slices, to one input.
bool stacksLayers(const ops::MethodInfo& method) {
  return method.name == "passthrough";
}

NodeType mergeType(const ops::MethodInfo& method) {
  NodeType type;
  type.id = mergeNodeTypeId(method.name);
  type.title = method.title;
  type.category = "Merge";
  type.help = method.description;
  type.inputs = {build::input("base", PortType::Model, baseHelp(method), true)};
  // The data-aware methods gather statistics of each model on its own task (ops::MethodInfo::needsData).
  if (method.needsData)
    type.inputs.push_back(build::input("tasks", PortType::Tasks,
                                       "Each model's task data: the task named after the model, else one "
                                       "task per model in order",
                                       true));
  // A Fisher information node's output, computed (and inspected) once for several merges of the same models.
  if (method.name == "fisher")
    type.inputs.push_back(
        build::input("statistics", PortType::Statistics,
                     "The models' Fisher information from a Fisher information node (the same "
                     "models in the same order); instead of computing it on 'tasks'",
                     true));
  type.inputs.push_back(build::group("models", PortType::Model,
                                     "The models (or adapters of the base) to merge; a new input appears as "
                                     "the last one is connected",
                                     method.usesWeights, stacksLayers(method) ? 0 : method.maxInputs));
  type.outputs = {build::output("model", PortType::Model)};
  for (const auto& spec : method.params) {
    type.params.push_back(paramFrom(spec));
  }
  for (auto& def : recipeParams())
    type.params.push_back(std::move(def));
  type.shapes = ShapeRule::Common;
  type.check = [&method](const Document& document, NodeId id, std::vector<Issue>& issues) {
    checkMerge(method, document, id, issues);
  };
  return type;
}

} // namespace

ParamDef build::mergeParam(const std::string& name) {
  return paramFrom(ops::paramSpec(name));
}

std::string mergeNodeTypeId(const std::string& method) {
  return node_types::kMergePrefix + method;
}

std::optional<std::string> mergeMethodOf(const std::string& typeId) {
  const std::string prefix = node_types::kMergePrefix;
  if (typeId.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  return typeId.substr(prefix.size());
}

std::vector<std::string> pairMergeMethods() {
  std::vector<std::string> names;
  for (const auto& method : ops::mergeMethods()) {
    const std::size_t counted = 2 + (method.baseCountsAsInput ? 1 : 0);
    if (method.needsData || method.base == ops::BaseUse::Unused || method.minInputs > counted ||
        (method.maxInputs != 0 && method.maxInputs < counted))
      continue;
    names.push_back(method.name);
  }
  // The choice's default is its first entry.
  const auto plain = std::find(names.begin(), names.end(), "task_arithmetic");
  if (plain != names.end()) std::rotate(names.begin(), plain, plain + 1);
  return names;
}

void registerMergeNodeTypes(NodeTypeRegistry& registry) {
  for (const auto& method : ops::mergeMethods()) { // a static table: references stay valid
    registry.registerType(mergeType(method));
  }
}

} // namespace mg::graph
