#pragma once
// A parameter value the session set. Consecutive edits of the same parameter of the same node merge into
// one step (a spin box sends a value per click or keystroke).
#include <string>

#include "commands/document_command.h"

namespace mg::ui {

class SetParamCommand : public DocumentCommand {
public:
  SetParamCommand(graph::Document& document, graph::NodeId node, std::string name, graph::ParamValue before,
                  graph::ParamValue after, const QString& text);
  void undo() override;
  int id() const override { return int(CommandId::SetParam); }
  bool mergeWith(const QUndoCommand* other) override;

protected:
  void apply() override;

private:
  graph::NodeId node_;
  std::string name_;
  graph::ParamValue before_;
  graph::ParamValue after_;
};

} // namespace mg::ui
