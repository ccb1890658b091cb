#pragma once
// The node types the editor offers and the project file knows. Built-in types are registered in one place
// (builtin_node_types.h); a later kind of node joins by registerType() at start-up, and the editor's palette,
// the properties panel, validation and the project file pick it up without changes.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "graph/node_type.h"

namespace mg::graph {

class NodeTypeRegistry {
public:
  NodeTypeRegistry() = default; // empty: for tests and tools that want their own set
  NodeTypeRegistry(const NodeTypeRegistry&) = delete;
  NodeTypeRegistry& operator=(const NodeTypeRegistry&) = delete;

  // The application's registry, holding the built-in types from its first use. Register further types at
  // start-up, before documents use it: registration and lookups are not synchronized.
  static NodeTypeRegistry& instance();

  // Throws std::invalid_argument for a duplicate id or a definition checkNodeType() refuses. Pointers to
  // registered types stay valid for the registry's lifetime.
  const NodeType& registerType(NodeType type);

  const NodeType* find(const std::string& id) const; // nullptr when unknown
  const NodeType& get(const std::string& id) const;  // throws std::invalid_argument naming the id
  // In registration order.
  const std::vector<const NodeType*>& types() const { return ordered_; }
  std::vector<const NodeType*> typesIn(const std::string& category) const;
  // "Sources", "Merge", "LoRA", "Train", "Operators", "Sinks" first (when used), then others in order of
  // appearance.
  std::vector<std::string> categories() const;

private:
  std::map<std::string, std::unique_ptr<const NodeType>> byId_;
  std::vector<const NodeType*> ordered_;
};

} // namespace mg::graph
