#pragma once
// The base model a set of specialists is used with elsewhere in the graph: the source of the "base" input of
// a node they already feed (an Embedding map, an Interference node, a Router, a merge). A merge made from
// points picked on the embedding map is wired to it, so the user does not have to find the base again.
#include <optional>
#include <vector>

#include "graph/document.h"

namespace mg::graph {

// The output feeding "base" on the most nodes the `specialists` feed (ties: the one met first, in node id
// order), or nullopt when none of them feeds a node with a connected base.
std::optional<PortRef> sharedBaseOf(const Document& document, const std::vector<NodeId>& specialists);

} // namespace mg::graph
