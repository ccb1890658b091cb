#pragma once
// A change to the frames, comments and reroute points (graph/annotations.h), with the nodes a frame carried
// along when it was dragged: added, edited, removed or moved. Consecutive commands with the same merge key
// merge into one step (typing a frame's comment; dragging the same frame again, as MoveNodesCommand does).
#include <QString>

#include <map>

#include "commands/document_command.h"
#include "commands/move_nodes_command.h"

namespace mg::ui {

class AnnotationsCommand : public DocumentCommand {
public:
  // `mergeKey` empty: never merges.
  AnnotationsCommand(graph::Document& document, graph::Annotations before, graph::Annotations after,
                     std::map<graph::NodeId, NodeMove> moves, const QString& text, QString mergeKey = {});
  void undo() override;
  int id() const override { return mergeKey_.isEmpty() ? -1 : int(CommandId::Annotations); }
  bool mergeWith(const QUndoCommand* other) override;

protected:
  void apply() override;

private:
  graph::Annotations before_;
  graph::Annotations after_;
  std::map<graph::NodeId, NodeMove> moves_;
  QString mergeKey_;
};

} // namespace mg::ui
