#pragma once
// A node's title. Consecutive edits of the same node's title merge (typing in a line edit).
#include <string>

#include "commands/document_command.h"

namespace mg::ui {

class SetTitleCommand : public DocumentCommand {
public:
  SetTitleCommand(graph::Document& document, graph::NodeId node, std::string before, std::string after,
                  const QString& text);
  void undo() override;
  int id() const override { return int(CommandId::SetTitle); }
  bool mergeWith(const QUndoCommand* other) override;

protected:
  void apply() override;

private:
  graph::NodeId node_;
  std::string before_;
  std::string after_;
};

} // namespace mg::ui
