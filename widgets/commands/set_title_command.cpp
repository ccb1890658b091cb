#include "commands/set_title_command.h"

namespace mg::ui {

SetTitleCommand::SetTitleCommand(graph::Document& document, graph::NodeId node, std::string before,
                                 std::string after, const QString& text)
    : DocumentCommand(document, text), node_(node), before_(std::move(before)), after_(std::move(after)) {}

void SetTitleCommand::undo() {
  document_.setTitle(node_, before_);
}

void SetTitleCommand::apply() {
  document_.setTitle(node_, after_);
}

bool SetTitleCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const SetTitleCommand*>(other);
  if (next->node_ != node_) return false;
  after_ = next->after_;
  setObsolete(after_ == before_);
  return true;
}

} // namespace mg::ui
