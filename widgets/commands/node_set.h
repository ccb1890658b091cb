#pragma once
// Removing and restoring a set of nodes exactly (ids, edges, input order, weights): shared by the commands
// that add nodes (undo removes them) and the one that removes them.
#include <vector>

#include "graph/document.h"

namespace mg::ui {

// Removes the nodes (unknown ids skipped) with every edge touching them, in the order given.
std::vector<graph::RemovedNode> removeNodeSet(graph::Document& document,
                                              const std::vector<graph::NodeId>& ids);
// Puts back what removeNodeSet() returned: in reverse order, which the Document guarantees is exact.
void restoreNodeSet(graph::Document& document, const std::vector<graph::RemovedNode>& removed);

} // namespace mg::ui
