#pragma once
// An edge the session removed. Undo puts it back at its input (moving later variadic inputs up again).
#include "commands/document_command.h"

namespace mg::ui {

class DisconnectCommand : public DocumentCommand {
public:
  DisconnectCommand(graph::Document& document, graph::EdgeRecord removed, const QString& text);
  void undo() override;

protected:
  void apply() override;

private:
  graph::EdgeRecord record_;
};

} // namespace mg::ui
