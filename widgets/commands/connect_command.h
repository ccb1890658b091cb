#pragma once
// An edge the session made. Undo disconnects it (a variadic group closes up again); redo restores it at
// the same input with the same weight.
#include "commands/document_command.h"

namespace mg::ui {

class ConnectCommand : public DocumentCommand {
public:
  ConnectCommand(graph::Document& document, graph::EdgeRecord record, const QString& text);
  void undo() override;

protected:
  void apply() override;

private:
  graph::EdgeRecord record_;
};

} // namespace mg::ui
