#include "graph/shared_base.h"

#include <algorithm>
#include <map>
#include <set>

namespace mg::graph {

std::optional<PortRef> sharedBaseOf(const Document& document, const std::vector<NodeId>& specialists) {
  std::set<NodeId> consumers;
  for (const NodeId specialist : specialists) {
    if (!document.contains(specialist)) continue;
    for (const Edge& edge : document.edgesFrom(specialist))
      consumers.insert(edge.to.node);
  }
  std::map<PortRef, int> votes;
  std::optional<PortRef> best;
  for (const NodeId consumer : consumers) {
    for (std::size_t input = 0; input < document.inputCount(consumer); ++input) {
      const PortSpec* spec = document.inputSpec(consumer, input);
      if (!spec || spec->name != "base") continue;
      const auto source = document.source(PortRef{consumer, input});
      if (!source) continue;
      // A specialist is never its own base: it may feed "base" of an adapter-on-model node.
      if (std::find(specialists.begin(), specialists.end(), source->node) != specialists.end()) continue;
      const int count = ++votes[*source];
      if (!best || count > votes[*best]) best = *source;
    }
  }
  return best;
}

} // namespace mg::graph
