#include "commands/add_nodes_command.h"

#include "commands/node_set.h"

namespace mg::ui {

AddNodesCommand::AddNodesCommand(graph::Document& document, std::vector<graph::NodeId> ids,
                                 const QString& text)
    : DocumentCommand(document, text), ids_(std::move(ids)) {}

void AddNodesCommand::undo() {
  removed_ = removeNodeSet(document_, ids_);
}

void AddNodesCommand::apply() {
  restoreNodeSet(document_, removed_);
  removed_.clear();
}

} // namespace mg::ui
