// One node type per merge method of core/ops: ports, parameters and input rules all come from the
// method's schema (ops::MethodInfo), so the editor, the CLI and the engine agree on them.
#include <algorithm>
#include <stdexcept>

#include "graph/builtin_node_types.h"
#include "graph/document.h"
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
    add(method.title + " needs the base model: connect it to 'base'", baseInput);
  }
  if (method.base == ops::BaseUse::Unused && hasBase) {
    add(method.title + " does not use a base model: connect it to 'models' as a weighted input", baseInput);
  }
  if (connected == 0) {
    return; // "no input connected to 'models'" says it already
  }
  const std::size_t counted = connected + (method.baseCountsAsInput && hasBase ? 1 : 0);
  const std::string note = method.baseCountsAsInput ? " (a base counts as one)" : "";
  if (method.minInputs == method.maxInputs && counted != method.minInputs) {
    add(method.title + " needs exactly " + countText(method.minInputs) + note + ", got " +
        std::to_string(counted));
  } else if (counted < method.minInputs) {
    add(method.title + " needs at least " + countText(method.minInputs) + note + ", got " +
        std::to_string(counted));
  } else if (method.maxInputs != 0 && counted > method.maxInputs) {
    add(method.title + " takes at most " + countText(method.maxInputs) + note + ", got " +
        std::to_string(counted));
  }
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

NodeType mergeType(const ops::MethodInfo& method) {
  NodeType type;
  type.id = mergeNodeTypeId(method.name);
  type.title = method.title;
  type.category = "Merge";
  type.help = method.description;
  type.inputs = {
      build::input("base", PortType::Model, baseHelp(method), true),
      build::group("models", PortType::Model,
                   "The models (or adapters of the base) to merge; a new input appears as the last "
                   "one is connected",
                   method.usesWeights, method.maxInputs)};
  type.outputs = {build::output("model", PortType::Model)};
  for (const auto& spec : method.params) {
    type.params.push_back(paramFrom(spec));
  }
  type.shapes = ShapeRule::Common;
  if (method.needsData)
    type.notRunnable = method.title + " needs evaluation data, which merge nodes cannot take yet";
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
