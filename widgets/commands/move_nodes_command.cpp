#include "commands/move_nodes_command.h"

#include <algorithm>

namespace mg::ui {

MoveNodesCommand::MoveNodesCommand(graph::Document& document, std::map<graph::NodeId, NodeMove> moves,
                                   bool mergeable, const QString& text)
    : DocumentCommand(document, text), moves_(std::move(moves)), mergeable_(mergeable) {}

void MoveNodesCommand::undo() {
  for (const auto& [id, move] : moves_)
    if (document_.contains(id)) document_.move(id, move.before);
}

void MoveNodesCommand::apply() {
  for (const auto& [id, move] : moves_)
    if (document_.contains(id)) document_.move(id, move.after);
}

bool MoveNodesCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const MoveNodesCommand*>(other);
  const bool sameNodes = std::equal(moves_.begin(), moves_.end(), next->moves_.begin(), next->moves_.end(),
                                    [](const auto& a, const auto& b) { return a.first == b.first; });
  if (!sameNodes) return false;
  for (auto& [id, move] : moves_)
    move.after = next->moves_.at(id).after;
  return true;
}

} // namespace mg::ui
