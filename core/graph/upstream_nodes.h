#pragma once
// Finding a node upstream of another, as the Sweep and Search nodes name the node they vary: by its title
// (or id), else the nearest one that qualifies.
#include <string>
#include <vector>

#include "graph/node.h"

namespace mg::graph {

class Document;

// "'TIES' (node 3)", for messages.
std::string namedNode(const Document& document, NodeId id);

// Every node upstream of `from` (not `from` itself), nearest first, in input order within a distance.
std::vector<std::vector<NodeId>> upstreamByDistance(const Document& document, NodeId from);

// The node of `upstream` (of `from`) titled `name`, else whose id `name` is; kNoNode with `error` set when
// none is, or several share the title.
NodeId findUpstreamNamed(const Document& document, const std::vector<std::vector<NodeId>>& upstream,
                         const std::string& name, NodeId from, std::string& error);

} // namespace mg::graph
