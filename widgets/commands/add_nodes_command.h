#pragma once
// Nodes the session created (added, dropped, pasted, duplicated) with their parameters and the edges among
// them. Undo removes them; redo puts them back under the same ids.
#include <vector>

#include "commands/document_command.h"

namespace mg::ui {

class AddNodesCommand : public DocumentCommand {
public:
  AddNodesCommand(graph::Document& document, std::vector<graph::NodeId> ids, const QString& text);
  void undo() override;

protected:
  void apply() override;

private:
  std::vector<graph::NodeId> ids_;
  std::vector<graph::RemovedNode> removed_;
};

} // namespace mg::ui
