#include "commands/connect_command.h"

namespace mg::ui {

ConnectCommand::ConnectCommand(graph::Document& document, graph::EdgeRecord record, const QString& text)
    : DocumentCommand(document, text), record_(record) {}

void ConnectCommand::undo() {
  document_.disconnect(record_.edge.to);
}

void ConnectCommand::apply() {
  document_.restoreEdge(record_);
}

} // namespace mg::ui
