#include "graph/node_type.h"

#include <algorithm>
#include <set>

namespace mg::graph {

const ParamDef* NodeType::param(const std::string& name) const {
  const auto it =
      std::find_if(params.begin(), params.end(), [&](const ParamDef& p) { return p.name == name; });
  return it == params.end() ? nullptr : &*it;
}

const ParamDef* NodeType::findParam(const std::string& nameOrAlias) const {
  if (const ParamDef* exact = param(nameOrAlias)) {
    return exact;
  }
  const auto it = std::find_if(params.begin(), params.end(), [&](const ParamDef& p) {
    return std::find(p.aliases.begin(), p.aliases.end(), nameOrAlias) != p.aliases.end();
  });
  return it == params.end() ? nullptr : &*it;
}

std::size_t NodeType::fixedInputCount() const {
  return inputs.size() - (variadicInput() != nullptr ? 1 : 0);
}

const PortSpec* NodeType::variadicInput() const {
  return !inputs.empty() && inputs.back().variadic ? &inputs.back() : nullptr;
}

std::optional<std::size_t> NodeType::inputIndex(const std::string& name) const {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].name == name) {
      return i;
    }
  }
  return std::nullopt;
}

MaybeError checkNodeType(const NodeType& type) {
  const std::string where = "node type '" + type.id + "': ";
  if (type.id.empty() || type.title.empty() || type.category.empty()) {
    return where + "needs an id, a title and a category";
  }
  std::set<std::string> names;
  for (std::size_t i = 0; i < type.inputs.size(); ++i) {
    const auto& port = type.inputs[i];
    if (port.name.empty() || !names.insert(port.name).second) {
      return where + "input names must be unique and not empty ('" + port.name + "')";
    }
    if (port.variadic && i + 1 != type.inputs.size()) {
      return where + "only the last input may be variadic ('" + port.name + "')";
    }
    if (!port.variadic && (port.weighted || port.maxCount != 0)) {
      return where + "weights and counts are for variadic inputs ('" + port.name + "')";
    }
  }
  names.clear();
  for (const auto& port : type.outputs) {
    if (port.name.empty() || !names.insert(port.name).second || port.variadic) {
      return where + "outputs must be uniquely named and fixed ('" + port.name + "')";
    }
  }
  names.clear();
  for (const auto& def : type.params) {
    if (def.name.empty() || !names.insert(def.name).second) {
      return where + "parameter names must be unique and not empty ('" + def.name + "')";
    }
    auto value = def.defaultValue;
    if (auto error = normalizeValue(def, value)) {
      return where + "default of " + *error;
    }
    if (value != def.defaultValue || value.type() != def.defaultValue.type()) {
      return where + "default of " + def.name + " must be given in its kind's representation";
    }
  }
  return std::nullopt;
}

} // namespace mg::graph
