#include "editor/graph_scene.h"

#include <QCursor>
#include <QGraphicsSceneDragDropEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QMimeData>
#include <QPainter>
#include <QTimer>
#include <QToolTip>
#include <QUrl>

#include <cmath>
#include <set>

#include "editor/annotation_layer.h"
#include "editor/edge_item.h"
#include "editor/group_item.h"
#include "editor/editor_mime.h"
#include "editor/node_list_mime.h"
#include "editor/node_item.h"
#include "editor/port_item.h"
#include "i18n/core_text.h"
#include "session/document_signals.h"
#include "session/project_session.h"

namespace mg::ui {

using graph::NodeId;
using graph::PortRef;

namespace {

// The paths a drop carries: the library's source entries, or file URLs from a file manager.
QStringList droppedPaths(const QMimeData* data) {
  QStringList paths;
  if (data->hasFormat(QString::fromLatin1(mime::kSource))) {
    const QJsonDocument json = QJsonDocument::fromJson(data->data(QString::fromLatin1(mime::kSource)));
    const auto take = [&](const QJsonObject& object) {
      const QString path = object.value(QStringLiteral("path")).toString();
      if (!path.isEmpty()) paths << path;
    };
    if (json.isObject()) take(json.object());
    for (const QJsonValue& entry : json.array())
      take(entry.toObject());
  } else if (data->hasUrls()) {
    for (const QUrl& url : data->urls())
      if (url.isLocalFile()) paths << url.toLocalFile();
  }
  return paths;
}

bool isNodeTypeDrag(const QMimeData* data) {
  return data->hasFormat(QString::fromLatin1(mime::kNodeType));
}

// The merge a drop of existing nodes on the empty canvas makes: the simplest one, which the user can change
// by replacing the node; task arithmetic is what the embedding-map workflow is about.
constexpr const char* kDefaultMergeType = "merge.task_arithmetic";

} // namespace

GraphScene::GraphScene(ProjectSession* session, QObject* parent)
    : QGraphicsScene(parent), session_(session), style_(EditorStyle::dark()) {
  // A large fixed area: the view pans freely instead of being held to the items' bounds.
  setSceneRect(-50000, -50000, 100000, 100000);
  setItemIndexMethod(NoIndex); // items move a lot; few enough that a BSP tree does not pay off

  const DocumentSignals* doc = session_->documentSignals();
  connect(doc, &DocumentSignals::documentWasReset, this, &GraphScene::rebuild);
  connect(doc, &DocumentSignals::nodeWasAdded, this, &GraphScene::addNodeItem);
  connect(doc, &DocumentSignals::nodeWasRemoved, this, &GraphScene::removeNodeItem);
  connect(doc, &DocumentSignals::edgeWasAdded, this, &GraphScene::addEdgeItem);
  connect(doc, &DocumentSignals::edgeWasRemoved, this, &GraphScene::removeEdgeItem);
  connect(doc, &DocumentSignals::inputsWereChanged, this, &GraphScene::refreshNode);
  connect(doc, &DocumentSignals::paramWasChanged, this, [this](NodeId id) { refreshNode(id); });
  connect(doc, &DocumentSignals::inputWeightWasChanged, this, [this](NodeId id) { refreshNode(id); });
  connect(doc, &DocumentSignals::titleWasChanged, this, &GraphScene::refreshNode);
  connect(doc, &DocumentSignals::nodeWasMoved, this, [this](NodeId id) {
    if (NodeItem* item = nodeItem(id)) {
      const auto& p = session_->document().at(id).position;
      syncing_ = true;
      item->setPos(p.x, p.y);
      syncing_ = false;
    }
  });
  connect(doc, &DocumentSignals::groupsWereChanged, this, &GraphScene::syncGroups);
  // Groups follow what they hold: their nodes' places, titles and the edges crossing their border.
  const auto resyncGroups = [this] {
    if (!groups_.empty() || !session_->document().groups().empty()) syncGroups();
  };
  connect(doc, &DocumentSignals::nodeWasMoved, this, resyncGroups);
  connect(doc, &DocumentSignals::nodeWasRemoved, this, resyncGroups);
  connect(doc, &DocumentSignals::edgeWasAdded, this, resyncGroups);
  connect(doc, &DocumentSignals::edgeWasRemoved, this, resyncGroups);
  connect(doc, &DocumentSignals::titleWasChanged, this, resyncGroups);
  connect(session_, &ProjectSession::issuesChanged, this, &GraphScene::setIssues);
  connect(this, &QGraphicsScene::selectionChanged, this, [this] {
    const std::vector<NodeId> selected = selectedNodes();
    // Edges fade or come back with the selection (EdgeItem::paint).
    if (selected.empty() != !hasSelectedNodes_ || !selected.empty())
      for (const auto& [input, edge] : edges_)
        edge->update();
    hasSelectedNodes_ = !selected.empty();
    Q_EMIT selectedNodesChanged(selected);
  });
  rebuild();
  setIssues(session_->issues());
  annotations_ = new AnnotationLayer(this);
}

GraphScene::~GraphScene() {
  // Items go before the session's signals could reach a half-destroyed scene.
  disconnect(session_->documentSignals(), nullptr, this, nullptr);
  disconnect(session_, nullptr, this, nullptr);
  // QGraphicsScene's destructor deletes the items one by one; deleting a selected item changes the selection,
  // and selectedNodes() would then walk items already deleted. Nobody listens to a dying scene anyway.
  blockSignals(true);
  nodes_.clear();
}

void GraphScene::setStyle(const EditorStyle& style) {
  style_ = style;
  for (auto& [input, edge] : edges_) {
    const auto* spec = session_->document().outputSpec(edge->edge().from.node, edge->edge().from.port);
    edge->setColours(style_.portColor(spec ? spec->type : graph::PortType::Model), style_.nodeSelected);
  }
  for (auto& [id, node] : nodes_)
    node->refresh(); // ports are rebuilt with the new colours
  update();
}

// ---- Items from the document

void GraphScene::rebuild() {
  cancelEdgeDrag();
  syncing_ = true;
  std::map<graph::GroupId, GroupItem*> oldGroups;
  oldGroups.swap(groups_); // out of the map before a deletion's selectionChanged can look
  collapsedGroupOf_.clear();
  for (auto& [id, group] : oldGroups)
    delete group;
  for (auto& [input, edge] : edges_)
    delete edge;
  edges_.clear();
  for (auto& [id, node] : nodes_)
    delete node;
  nodes_.clear();
  dropHighlight_ = nullptr;
  syncing_ = false;
  const graph::Document& document = session_->document();
  for (const NodeId id : document.nodeIds())
    addNodeItem(id);
  for (const graph::Edge& edge : document.edges())
    addEdgeItem(edge);
  syncGroups();
  applyIssues();
}

void GraphScene::addNodeItem(NodeId id) {
  if (!session_->document().contains(id) || nodes_.count(id)) return;
  syncing_ = true;
  auto* item = new NodeItem(session_->document(), id, &style_);
  addItem(item);
  syncing_ = false;
  nodes_[id] = item;
  if (const auto badge = badges_.find(id); badge != badges_.end()) item->setBadge(badge->second);
  connect(item, &NodeItem::moved, this, [this, id] { updateEdgesOf(id); });
}

void GraphScene::removeNodeItem(NodeId id) {
  const auto it = nodes_.find(id);
  if (it == nodes_.end()) return;
  if (drag_ && (drag_->port.node == id || (drag_->pickedUp && drag_->pickedUp->node == id))) cancelEdgeDrag();
  if (drag_) drag_->hovered = nullptr; // it may have been one of this node's ports
  if (dropHighlight_ == it->second) dropHighlight_ = nullptr;
  delete it->second;
  nodes_.erase(it);
  badges_.erase(id);
}

void GraphScene::addEdgeItem(const graph::Edge& edge) {
  const graph::Document& document = session_->document();
  if (!document.contains(edge.from.node) || !document.contains(edge.to.node)) return;
  if (const auto old = edges_.find(edge.to); old != edges_.end()) {
    delete old->second;
    edges_.erase(old);
  }
  const auto* spec = document.outputSpec(edge.from.node, edge.from.port);
  auto* item =
      new EdgeItem(edge, style_.portColor(spec ? spec->type : graph::PortType::Model), style_.nodeSelected);
  item->setReroutes(document.annotations().reroutesOf(edge.to));
  item->setToolTip(
      tr("%1 → %2, %3 (%4)")
          .arg(nodeTitle(document, edge.from.node), nodeTitle(document, edge.to.node),
               QString::fromStdString(document.inputLabel(edge.to.node, edge.to.port)),
               QString::fromLatin1(graph::portTypeName(spec ? spec->type : graph::PortType::Model))));
  addItem(item);
  edges_[edge.to] = item;
  refreshNode(edge.from.node);
  refreshNode(edge.to.node);
}

void GraphScene::removeEdgeItem(const graph::Edge& edge) {
  const auto it = edges_.find(edge.to);
  if (it != edges_.end() && it->second->edge() == edge) {
    delete it->second;
    edges_.erase(it);
  }
  refreshNode(edge.from.node);
  refreshNode(edge.to.node);
}

void GraphScene::refreshNode(NodeId id) {
  NodeItem* item = nodeItem(id);
  // Notifications arrive after the whole edit: a node may already be gone from the document.
  if (!item || !session_->document().contains(id)) return;
  if (drag_ && drag_->hovered && drag_->hovered->node() == id) drag_->hovered = nullptr;
  syncing_ = true;
  item->refresh();
  syncing_ = false;
  updateEdgesOf(id);
}

void GraphScene::updateEdgesOf(NodeId id) {
  for (auto& [input, edge] : edges_)
    if (edge->edge().from.node == id || edge->edge().to.node == id) updateEdgePath(edge);
}

void GraphScene::updateEdgePath(EdgeItem* edge) const {
  if (nodeItem(edge->edge().from.node) && nodeItem(edge->edge().to.node))
    edge->setEnds(outputAnchor(edge->edge()), inputAnchor(edge->edge()));
}

QPointF GraphScene::outputAnchor(const graph::Edge& edge) const {
  if (const auto group = collapsedGroupOf_.find(edge.from.node); group != collapsedGroupOf_.end())
    if (const auto anchor = group->second->outputAnchor(edge)) return *anchor;
  return nodeItem(edge.from.node)->outputAnchor(edge.from.port);
}

QPointF GraphScene::inputAnchor(const graph::Edge& edge) const {
  if (const auto group = collapsedGroupOf_.find(edge.to.node); group != collapsedGroupOf_.end())
    if (const auto anchor = group->second->inputAnchor(edge)) return *anchor;
  return nodeItem(edge.to.node)->inputAnchor(edge.to.port);
}

void GraphScene::syncGroups() {
  if (drag_) drag_->hovered = nullptr; // it may be a port of a group item about to go
  // Out of the maps before deleting: a selected item's deletion emits selectionChanged at once.
  const std::vector<NodeId> selectedBefore = selectedNodes();
  std::set<graph::GroupId> selected;
  std::map<graph::GroupId, GroupItem*> old;
  old.swap(groups_);
  collapsedGroupOf_.clear();
  {
    const QSignalBlocker blocker(this);
    for (auto& [id, group] : old) {
      if (group->isSelected()) selected.insert(id);
      delete group;
    }
  }
  const graph::Document& document = session_->document();
  for (const auto& [id, group] : document.groups().all()) {
    QRectF members;
    for (const NodeId member : group.members)
      if (const NodeItem* item = nodeItem(member))
        members |= QRectF(item->pos(), QSizeF(NodeItem::kWidth, item->boundingRect().bottom() - 8.0));
    auto* item = new GroupItem(document, group, members, &style_);
    addItem(item);
    groups_[id] = item;
    if (group.collapsed) {
      for (const NodeId member : group.members)
        collapsedGroupOf_[member] = item;
      connect(item, &GroupItem::moved, this, [this] {
        for (auto& [input, edge] : edges_)
          if (collapsedGroupOf_.count(edge->edge().from.node) ||
              collapsedGroupOf_.count(edge->edge().to.node))
            updateEdgePath(edge);
      });
    }
  }
  {
    const QSignalBlocker blocker(this); // one selectionChanged below, not one per item
    for (const graph::GroupId id : selected)
      if (GroupItem* item = groupItem(id)) item->setSelected(true);
    for (auto& [id, node] : nodes_)
      node->setVisible(!collapsedGroupOf_.count(id)); // hidden items lose their selection
  }
  if (selectedNodes() != selectedBefore) Q_EMIT selectionChanged();
  for (auto& [input, edge] : edges_) {
    const auto from = collapsedGroupOf_.find(edge->edge().from.node);
    const auto to = collapsedGroupOf_.find(edge->edge().to.node);
    // An edge inside one collapsed group is not shown; any other is drawn to wherever its ends are shown.
    edge->setVisible(
        !(from != collapsedGroupOf_.end() && to != collapsedGroupOf_.end() && from->second == to->second));
    updateEdgePath(edge);
  }
}

GroupItem* GraphScene::groupItem(graph::GroupId id) const {
  const auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : it->second;
}

std::optional<graph::GroupId> GraphScene::selectedGroup() const {
  for (const auto& [id, group] : groups_)
    if (group->isSelected()) return id;
  for (const auto& [id, node] : nodes_)
    if (node->isSelected())
      if (const auto group = session_->document().groups().groupOf(id)) return group;
  return std::nullopt;
}

NodeItem* GraphScene::nodeItem(NodeId id) const {
  const auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : it->second;
}

EdgeItem* GraphScene::edgeItem(PortRef input) const {
  const auto it = edges_.find(input);
  return it == edges_.end() ? nullptr : it->second;
}

// ---- Selection, badges, issues

std::vector<NodeId> GraphScene::selectedNodes() const {
  std::set<NodeId> ids;
  for (const auto& [id, item] : nodes_)
    if (item->isSelected()) ids.insert(id);
  for (const auto& [id, group] : groups_)
    if (group->isSelected()) ids.insert(group->group().members.begin(), group->group().members.end());
  return {ids.begin(), ids.end()};
}

std::vector<PortRef> GraphScene::selectedEdges() const {
  std::vector<PortRef> inputs;
  for (const auto& [input, item] : edges_)
    if (item->isSelected()) inputs.push_back(input);
  return inputs;
}

void GraphScene::selectNodes(const std::vector<NodeId>& ids) {
  QSignalBlocker blocker(this); // one selectedNodesChanged for the whole change
  clearSelection();
  for (const NodeId id : ids)
    if (NodeItem* item = nodeItem(id)) item->setSelected(true);
  blocker.unblock();
  Q_EMIT selectionChanged();
}

void GraphScene::setBadge(NodeId id, const NodeBadge& badge) {
  if (!session_->document().contains(id)) return;
  badges_[id] = badge;
  if (NodeItem* item = nodeItem(id)) item->setBadge(badge);
}

void GraphScene::clearBadges() {
  badges_.clear();
  for (auto& [id, item] : nodes_)
    item->setBadge({});
}

void GraphScene::setIssues(const std::vector<graph::Issue>& issues) {
  issues_ = issues;
  applyIssues();
}

void GraphScene::applyIssues() {
  std::map<NodeId, std::vector<graph::Issue>> byNode;
  for (const auto& issue : issues_)
    byNode[issue.node].push_back(issue);
  for (auto& [id, item] : nodes_) {
    auto it = byNode.find(id);
    item->setIssues(it == byNode.end() ? std::vector<graph::Issue>{} : std::move(it->second));
  }
}

// ---- Geometry

QPointF GraphScene::snapped(QPointF position) const {
  if (!snapToGrid_ || syncing_) return position;
  return {std::round(position.x() / kGrid) * kGrid, std::round(position.y() / kGrid) * kGrid};
}

graph::LayoutSize GraphScene::nodeSize(NodeId id) const {
  if (const NodeItem* item = nodeItem(id)) {
    const QRectF r = item->shape().boundingRect();
    return {r.width(), r.height()};
  }
  return {};
}

QPointF GraphScene::nodeOrigin(QPointF dropPoint) const {
  return snapped(dropPoint - QPointF(NodeItem::kWidth / 2.0, 16.0));
}

void GraphScene::commitMoves() {
  std::map<NodeId, QPointF> moved;
  for (const auto& [id, item] : nodes_) {
    const auto& p = session_->document().at(id).position;
    if (item->pos() != QPointF(p.x, p.y)) moved[id] = item->pos();
  }
  // A dragged collapsed group moves its nodes by as much.
  for (const auto& [id, group] : groups_) {
    const QPointF offset = group->dragOffset();
    if (!group->isCollapsed() || offset.isNull()) continue;
    for (const NodeId member : group->group().members) {
      const auto& p = session_->document().at(member).position;
      moved[member] = QPointF(p.x, p.y) + offset;
    }
  }
  annotations_->commitMoves(moved); // with the frames, comments and reroute points dragged
}

// ---- Edge dragging

PortItem* GraphScene::portAt(QPointF scenePos) const {
  for (QGraphicsItem* item : items(scenePos))
    if (item->type() == PortItem::Type) return static_cast<PortItem*>(item);
  return nullptr;
}

NodeItem* GraphScene::nodeAt(QPointF scenePos) const {
  for (QGraphicsItem* item : items(scenePos)) {
    if (item->type() == NodeItem::Type) return static_cast<NodeItem*>(item);
    if (item->type() == PortItem::Type && item->parentItem()->type() == NodeItem::Type)
      return static_cast<NodeItem*>(item->parentItem());
  }
  return nullptr;
}

bool GraphScene::accepts(const PortItem* port) const {
  if (!drag_ || port->isInput() != drag_->fromOutput) return false;
  if (drag_->pickedUp && port->isInput() && port->ref() == *drag_->pickedUp) return true; // put back
  const graph::Document& document = session_->document();
  // An output dropped on a taken input replaces its edge.
  return drag_->fromOutput ? session_->checkReplacement(drag_->port, port->ref()).isEmpty()
                           : !document.checkConnection(port->ref(), drag_->port);
}

void GraphScene::setPortsGreyed(bool dragging) {
  for (auto& [id, node] : nodes_) {
    for (PortItem* port : node->inputPorts())
      port->setGreyed(dragging && !accepts(port));
    for (PortItem* port : node->outputPorts())
      port->setGreyed(dragging && !accepts(port));
  }
  for (auto& [id, group] : groups_)
    for (PortItem* port : group->ports())
      port->setGreyed(dragging && !accepts(port));
}

void GraphScene::beginEdgeDrag(PortItem* port, QPointF scenePos) {
  cancelEdgeDrag();
  const graph::Document& document = session_->document();
  EdgeDrag drag;
  drag.port = port->ref();
  drag.fromOutput = !port->isInput();
  drag.type = port->portType();
  if (port->isInput()) {
    // Dragging from a connected input picks its edge up by the input end.
    if (const auto source = document.source(port->ref())) {
      drag.pickedUp = port->ref();
      drag.port = *source;
      drag.fromOutput = true;
      if (const auto* spec = document.outputSpec(source->node, source->port)) drag.type = spec->type;
      if (EdgeItem* edge = edgeItem(port->ref())) edge->setVisible(false);
    }
  }
  drag.preview = new EdgeItem({}, style_.portColor(drag.type), style_.nodeSelected, true);
  addItem(drag.preview);
  drag_ = drag;
  setPortsGreyed(true);
  moveEdgeDrag(scenePos);
}

void GraphScene::moveEdgeDrag(QPointF scenePos) {
  if (!drag_) return;
  PortItem* over = portAt(scenePos);
  if (over && !accepts(over)) over = nullptr;
  if (drag_->hovered != over) {
    if (drag_->hovered) drag_->hovered->setHighlighted(false);
    if (over) over->setHighlighted(true);
    drag_->hovered = over;
  }
  const NodeItem* origin = nodeItem(drag_->port.node);
  if (!origin) return;
  const QPointF anchor =
      drag_->fromOutput ? origin->outputAnchor(drag_->port.port) : origin->inputAnchor(drag_->port.port);
  const QPointF end = over ? over->scenePos() : scenePos;
  if (drag_->fromOutput)
    drag_->preview->setEnds(anchor, end);
  else
    drag_->preview->setEnds(end, anchor);
}

void GraphScene::cancelEdgeDrag() {
  if (!drag_) return;
  if (drag_->pickedUp)
    if (EdgeItem* edge = edgeItem(*drag_->pickedUp)) edge->setVisible(true);
  delete drag_->preview;
  drag_.reset();
  setPortsGreyed(false);
}

void GraphScene::refuse(const QString& reason) {
  Q_EMIT statusMessage(reason);
  if (!views().isEmpty()) QToolTip::showText(QCursor::pos(), reason, views().front());
}

void GraphScene::endEdgeDrag(QPointF scenePos) {
  if (!drag_) return;
  const EdgeDrag drag = *drag_;
  cancelEdgeDrag();
  const graph::Document& document = session_->document();

  PortItem* port = portAt(scenePos);
  NodeItem* node = port ? nullptr : nodeAt(scenePos);
  if (drag.pickedUp) {
    if (port && port->isInput() && port->ref() == *drag.pickedUp) return; // put back where it was
    if (port && port->isInput()) {
      if (const auto refused = document.checkConnection(drag.port, port->ref()))
        return refuse(QString::fromStdString(*refused));
      const QString refused = session_->reconnectInput(*drag.pickedUp, port->ref());
      if (!refused.isEmpty()) refuse(refused);
      return;
    }
    if (!port && !node) {
      session_->disconnectInput(*drag.pickedUp); // dragged off into the void: the edge goes
      return;
    }
    if (node) {
      const QString refused = session_->reconnectToNode(*drag.pickedUp, node->id());
      if (!refused.isEmpty()) refuse(refused);
    }
    return;
  }

  if (port) {
    if (port->isInput() != drag.fromOutput) return refuse(tr("an output connects to an input"));
    const PortRef from = drag.fromOutput ? drag.port : port->ref();
    const PortRef to = drag.fromOutput ? port->ref() : drag.port;
    const QString refused =
        drag.fromOutput ? session_->replaceConnection(from, to) : session_->connectPorts(from, to);
    if (!refused.isEmpty()) refuse(refused);
    return;
  }
  if (node) {
    if (node->id() == drag.port.node) return; // let go on its own node: nothing meant
    QString refused;
    if (drag.fromOutput) {
      refused = session_->dropOnNode(node->id(), drag.port.node, drag.port.port);
    } else {
      refused = tr("drop the edge on an output of %1").arg(nodeTitle(document, node->id()));
    }
    if (!refused.isEmpty()) refuse(refused);
    return;
  }
  Q_EMIT danglingEdgeDropped(drag.port, drag.fromOutput, scenePos);
}

// ---- Mouse and keys

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
  if (event->button() == Qt::LeftButton) {
    if (PortItem* port = portAt(event->scenePos())) {
      beginEdgeDrag(port, event->scenePos());
      event->accept();
      return;
    }
  }
  QGraphicsScene::mousePressEvent(event);
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
  if (drag_) {
    moveEdgeDrag(event->scenePos());
    event->accept();
    return;
  }
  QGraphicsScene::mouseMoveEvent(event);
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
  if (drag_ && event->button() == Qt::LeftButton) {
    endEdgeDrag(event->scenePos());
    event->accept();
    return;
  }
  QGraphicsScene::mouseReleaseEvent(event);
  if (event->button() == Qt::LeftButton) commitMoves(); // a drag is one step
}

void GraphScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
  if (event->button() == Qt::LeftButton && !portAt(event->scenePos())) {
    // A collapsed group opens; an open group's title tab collapses it.
    for (QGraphicsItem* item : items(event->scenePos())) {
      if (item->type() == NodeItem::Type) break;
      if (item->type() != GroupItem::Type) continue;
      auto* group = static_cast<GroupItem*>(item);
      if (!group->isCollapsed() && !group->tabRect().contains(group->mapFromScene(event->scenePos())))
        continue;
      const graph::GroupId id = group->id();
      const bool collapse = !group->isCollapsed();
      event->accept();
      // After this event: the change rebuilds the group items, this one included.
      QTimer::singleShot(0, this, [this, id, collapse] { session_->setGroupCollapsed(id, collapse); });
      return;
    }
    if (annotations_->doubleClick(event->scenePos())) { // a wire, a reroute point, a frame or comment
      event->accept();
      return;
    }
    if (NodeItem* node = nodeAt(event->scenePos())) {
      Q_EMIT nodeDoubleClicked(node->id());
      event->accept();
      return;
    }
  }
  QGraphicsScene::mouseDoubleClickEvent(event);
}

void GraphScene::keyPressEvent(QKeyEvent* event) {
  if (drag_ && event->key() == Qt::Key_Escape) {
    cancelEdgeDrag();
    event->accept();
    return;
  }
  QGraphicsScene::keyPressEvent(event);
}

// ---- Drops

bool GraphScene::canDrop(const QMimeData* data) {
  return data && (data->hasFormat(QString::fromLatin1(mime::kNodeType)) ||
                  data->hasFormat(QString::fromLatin1(mime::kSource)) ||
                  data->hasFormat(QString::fromLatin1(mime::kNodes)) || data->hasUrls());
}

bool GraphScene::dropMimeData(const QMimeData* data, QPointF scenePos) {
  if (!canDrop(data)) return false;
  NodeItem* target = nodeAt(scenePos);
  if (data->hasFormat(QString::fromLatin1(mime::kNodeType))) {
    const QString typeId = QString::fromUtf8(data->data(QString::fromLatin1(mime::kNodeType))).trimmed();
    QString error;
    const NodeId id = session_->addNode(typeId, nodeOrigin(scenePos), {}, &error);
    if (id == graph::kNoNode) {
      refuse(error);
      return false;
    }
    selectNodes({id});
    return true;
  }
  if (data->hasFormat(QString::fromLatin1(mime::kNodes)))
    return dropExistingNodes(decodeNodeList(data), target, scenePos);
  const QStringList paths = droppedPaths(data);
  if (paths.isEmpty()) return false;
  QStringList errors;
  const auto created =
      session_->dropSources(paths, nodeOrigin(scenePos), target ? target->id() : graph::kNoNode, &errors);
  if (!errors.isEmpty()) refuse(errors.join(QLatin1Char('\n')));
  if (!created.empty()) selectNodes(created);
  return !created.empty();
}

bool GraphScene::dropExistingNodes(const std::vector<NodeId>& nodes, NodeItem* target, QPointF scenePos) {
  if (nodes.empty()) return false;
  if (target) {
    const QString refused = session_->dropNodesOnNode(target->id(), nodes);
    if (!refused.isEmpty()) {
      refuse(refused);
      return false;
    }
    selectNodes({target->id()});
    return true;
  }
  QString error;
  const NodeId id =
      session_->addNodeFedBy(QString::fromLatin1(kDefaultMergeType), nodes, nodeOrigin(scenePos), &error);
  if (id == graph::kNoNode) {
    refuse(error);
    return false;
  }
  selectNodes({id});
  return true;
}

std::optional<graph::PortType> GraphScene::draggedSourceType(const QMimeData* data) const {
  if (data->hasFormat(QString::fromLatin1(mime::kNodes))) return graph::PortType::Model;
  const QStringList paths = droppedPaths(data);
  if (paths.isEmpty()) return std::nullopt;
  const QString typeId = session_->sourceTypeFor(paths.front());
  const graph::NodeType* type = session_->document().registry().find(typeId.toStdString());
  if (!type || type->outputs.empty()) return std::nullopt;
  return type->outputs.front().type;
}

void GraphScene::setDropHighlight(NodeItem* node) {
  if (dropHighlight_ == node) return;
  if (dropHighlight_) dropHighlight_->setDropHighlight(false);
  dropHighlight_ = node;
  if (node) node->setDropHighlight(true);
}

void GraphScene::dragEnterEvent(QGraphicsSceneDragDropEvent* event) {
  if (!canDrop(event->mimeData())) {
    event->ignore();
    return;
  }
  // Classified once per drag: it may look at the file system.
  dragType_ = isNodeTypeDrag(event->mimeData()) ? std::nullopt : draggedSourceType(event->mimeData());
  dragMoveEvent(event);
}

void GraphScene::dragMoveEvent(QGraphicsSceneDragDropEvent* event) {
  if (!canDrop(event->mimeData())) {
    event->ignore();
    return;
  }
  // The node under the pointer lights up when the dragged source would connect to it.
  NodeItem* node = nodeAt(event->scenePos());
  const bool takesIt = node && dragType_ && session_->document().dropTarget(node->id(), *dragType_);
  setDropHighlight(takesIt ? node : nullptr);
  event->setDropAction(Qt::CopyAction);
  event->accept();
}

void GraphScene::dragLeaveEvent(QGraphicsSceneDragDropEvent* event) {
  setDropHighlight(nullptr);
  dragType_.reset();
  event->accept();
}

void GraphScene::dropEvent(QGraphicsSceneDragDropEvent* event) {
  setDropHighlight(nullptr);
  dragType_.reset();
  if (dropMimeData(event->mimeData(), event->scenePos())) {
    event->setDropAction(Qt::CopyAction);
    event->accept();
  } else {
    event->ignore();
  }
}

// ---- Background

void GraphScene::drawBackground(QPainter* painter, const QRectF& rect) {
  painter->fillRect(rect, style_.background);
  const double scale = painter->worldTransform().m11();
  const auto drawGrid = [&](double step, const QColor& colour) {
    if (step * scale < 6.0) return;   // too dense to be useful when zoomed out
    painter->setPen(QPen(colour, 0)); // cosmetic: one pixel at every zoom
    QVector<QLineF> lines;
    for (double x = std::floor(rect.left() / step) * step; x < rect.right(); x += step)
      lines.append(QLineF(x, rect.top(), x, rect.bottom()));
    for (double y = std::floor(rect.top() / step) * step; y < rect.bottom(); y += step)
      lines.append(QLineF(rect.left(), y, rect.right(), y));
    painter->drawLines(lines);
  };
  drawGrid(kGrid, style_.gridMinor);
  drawGrid(kGrid * 5, style_.gridMajor);
}

} // namespace mg::ui
