#include "engine/node_runner.h"

#include <stdexcept>

namespace mg::engine {

const NodeValue& NodeRunContext::input(const std::string& name) const {
  static const NodeValue none;
  const auto* type = document.nodeType(node);
  const auto index = type ? type->inputIndex(name) : std::nullopt;
  if (!index || *index >= inputs.size()) return none;
  return inputs[*index];
}

std::vector<std::pair<const NodeValue*, double>> NodeRunContext::groupInputs() const {
  std::vector<std::pair<const NodeValue*, double>> out;
  const auto* type = document.nodeType(node);
  if (!type || !type->variadicInput()) return out;
  const std::size_t first = type->fixedInputCount();
  const std::size_t connected = document.variadicConnected(node);
  for (std::size_t i = first; i < first + connected && i < inputs.size(); ++i) {
    out.emplace_back(&inputs[i], document.inputWeight(node, i).value_or(1.0));
  }
  return out;
}

const graph::ParamValue& NodeRunContext::param(const std::string& name) const {
  const auto* value = document.param(node, name);
  if (!value) throw std::invalid_argument(describe() + " has no parameter '" + name + "'");
  return *value;
}

std::string NodeRunContext::paramText(const std::string& name) const {
  return graph::valueText(param(name));
}

std::string NodeRunContext::describe() const {
  return "'" + nodeData().title + "' (node " + std::to_string(node) + ")";
}

NodeRunnerRegistry& NodeRunnerRegistry::instance() {
  static NodeRunnerRegistry registry = [] {
    NodeRunnerRegistry r;
    registerBuiltinRunners(r);
    return r;
  }();
  return registry;
}

void NodeRunnerRegistry::add(const std::string& typeId, NodeRunner runner) {
  runners_[typeId] = std::move(runner);
}

const NodeRunner* NodeRunnerRegistry::find(const std::string& typeId) const {
  const auto it = runners_.find(typeId);
  return it == runners_.end() ? nullptr : &it->second;
}

} // namespace mg::engine
