#pragma once
// The weight of an input of a weighted variadic group. Consecutive edits of the same input merge.
#include <cstddef>

#include "commands/document_command.h"

namespace mg::ui {

class SetInputWeightCommand : public DocumentCommand {
public:
  SetInputWeightCommand(graph::Document& document, graph::NodeId node, std::size_t input, double before,
                        double after, const QString& text);
  void undo() override;
  int id() const override { return int(CommandId::SetInputWeight); }
  bool mergeWith(const QUndoCommand* other) override;

protected:
  void apply() override;

private:
  graph::NodeId node_;
  std::size_t input_;
  double before_;
  double after_;
};

} // namespace mg::ui
