#include "graph/upstream_nodes.h"

#include <cstdlib>
#include <set>

#include "graph/document.h"

namespace mg::graph {

std::string namedNode(const Document& document, NodeId id) {
  return "'" + document.at(id).title + "' (node " + std::to_string(id) + ")";
}

std::vector<std::vector<NodeId>> upstreamByDistance(const Document& document, NodeId from) {
  std::vector<std::vector<NodeId>> levels;
  std::set<NodeId> seen{from};
  std::vector<NodeId> frontier{from};
  while (!frontier.empty()) {
    std::vector<NodeId> next;
    for (const NodeId id : frontier) {
      for (const auto& edge : document.edgesInto(id)) {
        if (seen.insert(edge.from.node).second) next.push_back(edge.from.node);
      }
    }
    if (!next.empty()) levels.push_back(next);
    frontier = std::move(next);
  }
  return levels;
}

NodeId findUpstreamNamed(const Document& document, const std::vector<std::vector<NodeId>>& upstream,
                         const std::string& name, NodeId from, std::string& error) {
  std::vector<NodeId> byTitle;
  NodeId byId = kNoNode;
  char* end = nullptr;
  const unsigned long long asId = std::strtoull(name.c_str(), &end, 10);
  const bool isNumber = !name.empty() && end && *end == '\0';
  for (const auto& level : upstream) {
    for (const NodeId id : level) {
      if (document.at(id).title == name) byTitle.push_back(id);
      if (isNumber && id == asId) byId = id;
    }
  }
  if (byTitle.size() > 1) {
    error = "several nodes upstream of " + namedNode(document, from) + " are titled '" + name +
            "': give one a distinct title";
    return kNoNode;
  }
  if (byTitle.size() == 1) return byTitle.front();
  if (byId != kNoNode) return byId;
  error = "no node titled '" + name + "' is upstream of " + namedNode(document, from);
  return kNoNode;
}

} // namespace mg::graph
