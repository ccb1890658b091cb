#include "graph/topological_order.h"

#include <map>
#include <set>
#include <stdexcept>

#include "graph/document.h"

namespace mg::graph {

namespace {

// `targets` and everything upstream of them.
std::set<NodeId> upstreamOf(const Document& document, const std::vector<NodeId>& targets) {
  std::set<NodeId> needed;
  std::vector<NodeId> stack = targets;
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    document.at(id); // throws std::out_of_range for an id that is not in the document
    if (!needed.insert(id).second) {
      continue;
    }
    for (const auto& edge : document.edgesInto(id)) {
      stack.push_back(edge.from.node);
    }
  }
  return needed;
}

} // namespace

std::vector<NodeId> topologicalOrder(const Document& document, const std::vector<NodeId>& targets) {
  const std::set<NodeId> needed = upstreamOf(document, targets.empty() ? document.nodeIds() : targets);
  // Kahn's algorithm over the needed nodes, taking the lowest ready id each time.
  std::map<NodeId, std::size_t> waiting; // inputs not yet placed
  for (const NodeId id : needed) {
    waiting[id] = document.edgesInto(id).size();
  }
  std::set<NodeId> ready;
  for (const auto& [id, count] : waiting) {
    if (count == 0) {
      ready.insert(id);
    }
  }
  std::vector<NodeId> order;
  while (!ready.empty()) {
    const NodeId id = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(id);
    for (const auto& edge : document.edgesFrom(id)) {
      const auto it = waiting.find(edge.to.node);
      if (it != waiting.end() && --it->second == 0) {
        ready.insert(edge.to.node);
      }
    }
  }
  if (order.size() != needed.size()) {
    std::string stuck;
    for (const auto& [id, count] : waiting) {
      if (count != 0) {
        stuck += (stuck.empty() ? "" : ", ") + std::to_string(id);
      }
    }
    throw std::invalid_argument("the graph has a cycle through nodes " + stuck);
  }
  return order;
}

std::vector<NodeId> sinkNodes(const Document& document) {
  std::vector<NodeId> sinks;
  for (const NodeId id : document.nodeIds()) {
    const NodeType* type = document.nodeType(id);
    if (type != nullptr && type->sink) {
      sinks.push_back(id);
    }
  }
  return sinks;
}

} // namespace mg::graph
