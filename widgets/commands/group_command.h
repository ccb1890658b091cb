#pragma once
// A change to one node group (graph/node_groups.h): made (nothing before), dissolved (nothing after), or
// opened, collapsed or renamed (both).
#include <optional>

#include "commands/document_command.h"

namespace mg::ui {

class GroupCommand : public DocumentCommand {
public:
  GroupCommand(graph::Document& document, std::optional<graph::NodeGroup> before,
               std::optional<graph::NodeGroup> after, const QString& text);
  void undo() override;

protected:
  void apply() override;

private:
  void change(const std::optional<graph::NodeGroup>& from, const std::optional<graph::NodeGroup>& to);

  std::optional<graph::NodeGroup> before_;
  std::optional<graph::NodeGroup> after_;
};

} // namespace mg::ui
