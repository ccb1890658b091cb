// ProjectSession: edits that wire several existing nodes into one (points picked on the embedding map
// dropped on a merge node, or made into a new merge).
#include <QUndoStack>

#include <algorithm>

#include "commands/add_nodes_command.h"
#include "graph/shared_base.h"
#include "session/edit_group.h"
#include "session/project_session.h"

namespace mg::ui {

using graph::NodeId;

namespace {

bool feeds(const graph::Document& document, NodeId source, NodeId target) {
  const auto edges = document.edgesFrom(source);
  return std::any_of(edges.begin(), edges.end(), [&](const graph::Edge& e) { return e.to.node == target; });
}

// Right of the rightmost source, level with their middle.
QPointF rightOf(const graph::Document& document, const std::vector<NodeId>& sources) {
  double right = 0, y = 0;
  int count = 0;
  for (const NodeId id : sources) {
    const auto* node = document.node(id);
    if (!node) continue;
    right = count == 0 ? node->position.x : std::max(right, node->position.x);
    y += node->position.y;
    ++count;
  }
  return count == 0 ? QPointF() : QPointF(right + 320.0, y / count);
}

} // namespace

QString ProjectSession::dropNodesOnNode(NodeId target, const std::vector<NodeId>& sources) {
  if (!document_.contains(target)) return tr("nothing to connect");
  std::vector<NodeId> fresh;
  for (const NodeId source : sources)
    if (source != target && document_.contains(source) && !feeds(document_, source, target))
      fresh.push_back(source);
  if (fresh.empty())
    return tr("%1 is already fed by them").arg(QString::fromStdString(document_.at(target).title));
  QString refused;
  {
    EditGroup group(undoStack_, tr("Drop %n node(s) on %1", "", int(fresh.size()))
                                    .arg(QString::fromStdString(document_.at(target).title)));
    for (const NodeId source : fresh) {
      refused = dropOnNode(target, source);
      if (!refused.isEmpty()) break;
    }
  }
  if (!refused.isEmpty()) undoStack_->undo(); // all or nothing
  return refused;
}

NodeId ProjectSession::addNodeFedBy(const QString& typeId, const std::vector<NodeId>& sources,
                                    std::optional<QPointF> position, QString* error) {
  const graph::NodeType* type = document_.registry().find(typeId.toStdString());
  if (!type) {
    if (error) *error = tr("unknown node type '%1'").arg(typeId);
    return graph::kNoNode;
  }
  const auto base = graph::sharedBaseOf(document_, sources);
  NodeId id = graph::kNoNode;
  QString refused;
  {
    EditGroup group(
        undoStack_,
        tr("Add %1 of %n node(s)", "", int(sources.size())).arg(QString::fromStdString(type->title)));
    id = createNode(typeId, position.value_or(rightOf(document_, sources)), {}, &refused);
    if (id == graph::kNoNode) {
      if (error) *error = refused;
      return id;
    }
    record(new AddNodesCommand(document_, {id}, tr("Add %1").arg(QString::fromStdString(type->title))));
    for (std::size_t input = 0; base && input < document_.inputCount(id); ++input) {
      const graph::PortSpec* spec = document_.inputSpec(id, input);
      if (spec && spec->name == "base" && !document_.source({id, input})) {
        refused = connectPorts(*base, {id, input});
        break;
      }
    }
    for (const NodeId source : sources) {
      if (!refused.isEmpty()) break;
      refused = dropOnNode(id, source);
    }
  }
  if (!refused.isEmpty()) {
    undoStack_->undo(); // all or nothing
    if (error) *error = refused;
    return graph::kNoNode;
  }
  return id;
}

} // namespace mg::ui
