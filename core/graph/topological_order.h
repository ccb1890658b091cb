#pragma once
// The order the executor runs nodes in.
#include <vector>

#include "graph/node.h"

namespace mg::graph {

class Document;

// The nodes `targets` depend on, targets included, each after every node feeding it; among nodes free to go
// in either order, lower ids first, so the order is the same on every run. No targets: every node.
// Throws std::invalid_argument naming the nodes left on a cycle (a file may hold one; validate() reports it).
std::vector<NodeId> topologicalOrder(const Document& document, const std::vector<NodeId>& targets = {});

// The nodes of sink types (export, evaluate, ...), ascending: what running the whole project runs.
std::vector<NodeId> sinkNodes(const Document& document);

} // namespace mg::graph
