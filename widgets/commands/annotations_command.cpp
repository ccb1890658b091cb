#include "commands/annotations_command.h"

#include <algorithm>

namespace mg::ui {

AnnotationsCommand::AnnotationsCommand(graph::Document& document, graph::Annotations before,
                                       graph::Annotations after, std::map<graph::NodeId, NodeMove> moves,
                                       const QString& text, QString mergeKey)
    : DocumentCommand(document, text), before_(std::move(before)), after_(std::move(after)),
      moves_(std::move(moves)), mergeKey_(std::move(mergeKey)) {}

void AnnotationsCommand::undo() {
  // Reroute points belong to edges that exist at both ends of this step: the history is linear.
  document_.setAnnotations(before_);
  for (const auto& [id, move] : moves_)
    if (document_.contains(id)) document_.move(id, move.before);
}

void AnnotationsCommand::apply() {
  for (const auto& [id, move] : moves_)
    if (document_.contains(id)) document_.move(id, move.after);
  document_.setAnnotations(after_);
}

bool AnnotationsCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const AnnotationsCommand*>(other);
  if (next->mergeKey_ != mergeKey_) return false;
  for (const auto& [id, move] : next->moves_) {
    const auto [it, fresh] = moves_.emplace(id, move);
    if (!fresh) it->second.after = move.after;
  }
  after_ = next->after_;
  setObsolete(after_ == before_ && std::all_of(moves_.begin(), moves_.end(), [](const auto& m) {
                return m.second.before == m.second.after;
              }));
  return true;
}

} // namespace mg::ui
