#include "commands/remove_nodes_command.h"

#include "commands/node_set.h"

namespace mg::ui {

RemoveNodesCommand::RemoveNodesCommand(graph::Document& document, std::vector<graph::RemovedNode> removed,
                                       const QString& text)
    : DocumentCommand(document, text), removed_(std::move(removed)) {
  for (const auto& r : removed_)
    ids_.push_back(r.node.id);
}

void RemoveNodesCommand::undo() {
  restoreNodeSet(document_, removed_);
}

void RemoveNodesCommand::apply() {
  removed_ = removeNodeSet(document_, ids_);
}

} // namespace mg::ui
