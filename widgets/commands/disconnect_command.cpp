#include "commands/disconnect_command.h"

namespace mg::ui {

DisconnectCommand::DisconnectCommand(graph::Document& document, graph::EdgeRecord removed,
                                     const QString& text)
    : DocumentCommand(document, text), record_(removed) {}

void DisconnectCommand::undo() {
  document_.restoreEdge(record_);
}

void DisconnectCommand::apply() {
  document_.disconnect(record_.edge.to);
}

} // namespace mg::ui
