#include "commands/node_set.h"

namespace mg::ui {

std::vector<graph::RemovedNode> removeNodeSet(graph::Document& document,
                                              const std::vector<graph::NodeId>& ids) {
  std::vector<graph::RemovedNode> removed;
  for (const graph::NodeId id : ids)
    if (document.contains(id)) removed.push_back(document.removeNode(id));
  return removed;
}

void restoreNodeSet(graph::Document& document, const std::vector<graph::RemovedNode>& removed) {
  for (auto it = removed.rbegin(); it != removed.rend(); ++it)
    document.restoreNode(*it);
}

} // namespace mg::ui
