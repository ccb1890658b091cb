#pragma once
// Nodes the session removed, with every edge that touched them (inputs they fed closed up in variadic
// groups). One undo step however many nodes; undo restores ids, edges, input order and weights.
#include <vector>

#include "commands/document_command.h"

namespace mg::ui {

class RemoveNodesCommand : public DocumentCommand {
public:
  RemoveNodesCommand(graph::Document& document, std::vector<graph::RemovedNode> removed, const QString& text);
  void undo() override;

protected:
  void apply() override;

private:
  std::vector<graph::NodeId> ids_;
  std::vector<graph::RemovedNode> removed_;
};

} // namespace mg::ui
