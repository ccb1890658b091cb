// ProjectSession: a Search node's winner added to the graph as an ordinary merge node (one undo step), so
// it can be evaluated, compared and exported like any other.
#include "graph/search_plan.h"
#include "i18n/core_text.h"
#include "session/edit_group.h"
#include "session/project_session.h"

namespace mg::ui {

graph::NodeId ProjectSession::addSearchWinner(const engine::SearchWinnerValue& winner, QString* error) {
  const auto refuse = [&](const QString& why) {
    if (error) *error = why;
    return graph::kNoNode;
  };
  if (!document_.contains(winner.producer) || !document_.contains(winner.target))
    return refuse(tr("the Search node or the merge it searched is no longer in the project"));
  const graph::SearchPlan plan = graph::planSearch(document_, winner.producer);
  if (!plan.ok() || plan.target != winner.target || plan.inputs != winner.weights.size())
    return refuse(tr("the Search node or its merge changed since the search ran: run it again"));

  // The node as core makes it (the target's method, parameters and inputs with the winner's coefficients),
  // then recorded here edit by edit so that undo takes it away.
  graph::Document preview(document_);
  graph::NodeId made = graph::kNoNode;
  try {
    made = graph::addSearchWinner(preview, plan, winner.weights, winner.densities, winner.rules);
  } catch (const std::exception& e) {
    return refuse(QString::fromStdString(e.what()));
  }
  const graph::Node& node = preview.at(made);
  graph::NodeId id = graph::kNoNode;
  QString refused;
  {
    EditGroup group(undoStack_, tr("Add the searched %1").arg(nodeTitle(preview, node)));
    id = addNode(QString::fromStdString(node.type), QPointF(node.position.x, node.position.y), node.params,
                 &refused);
    if (id == graph::kNoNode) return refuse(refused);
    refused = setTitle(id, QString::fromStdString(node.title));
    for (const auto& edge : preview.edgesInto(made)) {
      if (!refused.isEmpty()) break;
      refused =
          connectPorts(edge.from, {id, edge.to.port}, preview.inputWeight(made, edge.to.port).value_or(1.0));
    }
  }
  if (!refused.isEmpty()) {
    undoStack_->undo(); // all or nothing
    return refuse(refused);
  }
  return id;
}

} // namespace mg::ui
