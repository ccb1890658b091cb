#include "commands/group_command.h"

namespace mg::ui {

GroupCommand::GroupCommand(graph::Document& document, std::optional<graph::NodeGroup> before,
                           std::optional<graph::NodeGroup> after, const QString& text)
    : DocumentCommand(document, text), before_(std::move(before)), after_(std::move(after)) {}

void GroupCommand::undo() {
  change(after_, before_);
}

void GroupCommand::apply() {
  change(before_, after_);
}

void GroupCommand::change(const std::optional<graph::NodeGroup>& from,
                          const std::optional<graph::NodeGroup>& to) {
  if (from && !to) {
    document_.removeGroup(from->id);
  } else if (!from && to) {
    document_.restoreGroup(*to);
  } else if (from && to) {
    document_.setGroupTitle(to->id, to->title);
    document_.setGroupCollapsed(to->id, to->collapsed);
  }
}

} // namespace mg::ui
