#include "graph/node_type_registry.h"

#include <algorithm>
#include <stdexcept>

#include "graph/builtin_node_types.h"

namespace mg::graph {

NodeTypeRegistry& NodeTypeRegistry::instance() {
  static NodeTypeRegistry registry;
  static const bool registered = (registerBuiltinNodeTypes(registry), true); // once, thread-safe
  (void)registered;
  return registry;
}

const NodeType& NodeTypeRegistry::registerType(NodeType type) {
  if (auto error = checkNodeType(type)) {
    throw std::invalid_argument(*error);
  }
  if (byId_.count(type.id) != 0) {
    throw std::invalid_argument("node type '" + type.id + "' is already registered");
  }
  auto owned = std::make_unique<const NodeType>(std::move(type));
  const NodeType* pointer = owned.get();
  byId_.emplace(pointer->id, std::move(owned));
  ordered_.push_back(pointer);
  return *pointer;
}

const NodeType* NodeTypeRegistry::find(const std::string& id) const {
  const auto it = byId_.find(id);
  return it == byId_.end() ? nullptr : it->second.get();
}

const NodeType& NodeTypeRegistry::get(const std::string& id) const {
  if (const auto* type = find(id)) {
    return *type;
  }
  throw std::invalid_argument("unknown node type '" + id + "'");
}

std::vector<const NodeType*> NodeTypeRegistry::typesIn(const std::string& category) const {
  std::vector<const NodeType*> out;
  std::copy_if(ordered_.begin(), ordered_.end(), std::back_inserter(out),
               [&](const NodeType* t) { return t->category == category; });
  return out;
}

std::vector<std::string> NodeTypeRegistry::categories() const {
  std::vector<std::string> out;
  for (const char* known : {"Sources", "Merge", "LoRA", "Train", "Operators", "Sinks"}) {
    if (!typesIn(known).empty()) {
      out.emplace_back(known);
    }
  }
  for (const auto* type : ordered_) {
    if (std::find(out.begin(), out.end(), type->category) == out.end()) {
      out.push_back(type->category);
    }
  }
  return out;
}

} // namespace mg::graph
