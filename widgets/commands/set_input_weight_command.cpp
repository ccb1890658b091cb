#include "commands/set_input_weight_command.h"

namespace mg::ui {

SetInputWeightCommand::SetInputWeightCommand(graph::Document& document, graph::NodeId node, std::size_t input,
                                             double before, double after, const QString& text)
    : DocumentCommand(document, text), node_(node), input_(input), before_(before), after_(after) {}

void SetInputWeightCommand::undo() {
  document_.setInputWeight(node_, input_, before_);
}

void SetInputWeightCommand::apply() {
  document_.setInputWeight(node_, input_, after_);
}

bool SetInputWeightCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const SetInputWeightCommand*>(other);
  if (next->node_ != node_ || next->input_ != input_) return false;
  after_ = next->after_;
  setObsolete(after_ == before_);
  return true;
}

} // namespace mg::ui
