#pragma once
// Nodes moved: by a drag (one command per drag; consecutive drags of the same nodes merge into one step) or
// by an arrangement (auto-layout, align), which never merges.
#include <map>

#include "commands/document_command.h"

namespace mg::ui {

struct NodeMove {
  graph::Point before;
  graph::Point after;
};

class MoveNodesCommand : public DocumentCommand {
public:
  MoveNodesCommand(graph::Document& document, std::map<graph::NodeId, NodeMove> moves, bool mergeable,
                   const QString& text);
  void undo() override;
  int id() const override { return mergeable_ ? int(CommandId::Move) : -1; }
  bool mergeWith(const QUndoCommand* other) override;

protected:
  void apply() override;

private:
  std::map<graph::NodeId, NodeMove> moves_;
  bool mergeable_;
};

} // namespace mg::ui
