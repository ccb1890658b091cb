#include "commands/set_param_command.h"

namespace mg::ui {

SetParamCommand::SetParamCommand(graph::Document& document, graph::NodeId node, std::string name,
                                 graph::ParamValue before, graph::ParamValue after, const QString& text)
    : DocumentCommand(document, text), node_(node), name_(std::move(name)), before_(std::move(before)),
      after_(std::move(after)) {}

void SetParamCommand::undo() {
  if (!document_.setParam(node_, name_, before_)) return;
  // The old value breaks its definition (a file keeps such values as written, for validation to report),
  // so the document refuses it as an edit: put the node back as it was instead, edges and all.
  graph::RemovedNode removed = document_.removeNode(node_);
  removed.node.params[name_] = before_;
  document_.restoreNode(removed);
}

void SetParamCommand::apply() {
  document_.setParam(node_, name_, after_);
}

bool SetParamCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const SetParamCommand*>(other);
  if (next->node_ != node_ || next->name_ != name_) return false;
  after_ = next->after_;
  setObsolete(after_ == before_); // edited back to where it started: nothing to undo
  return true;
}

} // namespace mg::ui
