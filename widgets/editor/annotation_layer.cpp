#include "editor/annotation_layer.h"

#include <QTimer>

#include "editor/comment_item.h"
#include "editor/edge_item.h"
#include "editor/frame_item.h"
#include "editor/graph_scene.h"
#include "editor/group_item.h"
#include "editor/node_item.h"
#include "editor/port_item.h"
#include "editor/reroute_item.h"
#include "session/document_signals.h"
#include "session/project_session.h"

namespace mg::ui {

AnnotationLayer::AnnotationLayer(GraphScene* scene) : QObject(scene), scene_(scene) {
  const DocumentSignals* doc = scene_->session()->documentSignals();
  connect(doc, &DocumentSignals::documentWasReset, this, &AnnotationLayer::sync);
  connect(doc, &DocumentSignals::annotationsWereChanged, this, [this] {
    sync();
    syncReroutes();
  });
  // Reroute points are drawn in their wire's colour, which fades with the selection (EdgeItem::drawnColour).
  connect(scene_, &QGraphicsScene::selectionChanged, this, [this] {
    for (QGraphicsItem* item : scene_->items())
      if (item->type() == RerouteItem::Type) item->update();
  });
  sync();
}

void AnnotationLayer::sync() {
  const graph::Annotations& annotations = scene_->session()->document().annotations();
  // Items are updated in place: one may be under the mouse.
  const auto syncKind = [&](auto& items, const auto& wanted, auto make, auto set) {
    for (auto it = items.begin(); it != items.end();) {
      if (wanted.count(it->first)) {
        ++it;
        continue;
      }
      delete it->second;
      it = items.erase(it);
    }
    for (const auto& [id, value] : wanted) {
      if (const auto it = items.find(id); it != items.end()) {
        set(it->second, value);
      } else {
        auto* item = make(value);
        scene_->addItem(item);
        items[id] = item;
      }
    }
  };
  const EditorStyle* style = &scene_->style();
  syncKind(
      frames_, annotations.frames(), [&](const graph::Frame& f) { return new FrameItem(f, style); },
      [](FrameItem* item, const graph::Frame& f) { item->setFrame(f); });
  syncKind(
      comments_, annotations.comments(), [&](const graph::Comment& c) { return new CommentItem(c, style); },
      [](CommentItem* item, const graph::Comment& c) { item->setComment(c); });
}

std::vector<EdgeItem*> AnnotationLayer::edgeItems() const {
  std::vector<EdgeItem*> edges;
  for (QGraphicsItem* item : scene_->items())
    if (item->type() == EdgeItem::Type && static_cast<EdgeItem*>(item)->edge().to.node != graph::kNoNode)
      edges.push_back(static_cast<EdgeItem*>(item));
  return edges;
}

void AnnotationLayer::syncReroutes() {
  const graph::Annotations& annotations = scene_->session()->document().annotations();
  for (EdgeItem* edge : edgeItems()) {
    const auto points = annotations.reroutesOf(edge->edge().to);
    if (edge->reroutes() != points) edge->setReroutes(points);
  }
}

FrameItem* AnnotationLayer::frameItem(graph::AnnotationId id) const {
  const auto it = frames_.find(id);
  return it == frames_.end() ? nullptr : it->second;
}

CommentItem* AnnotationLayer::commentItem(graph::AnnotationId id) const {
  const auto it = comments_.find(id);
  return it == comments_.end() ? nullptr : it->second;
}

std::vector<graph::AnnotationId> AnnotationLayer::selectedAnnotations() const {
  std::vector<graph::AnnotationId> ids;
  for (const auto& [id, item] : frames_)
    if (item->isSelected()) ids.push_back(id);
  for (const auto& [id, item] : comments_)
    if (item->isSelected()) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::pair<graph::PortRef, std::size_t>> AnnotationLayer::selectedReroutePoints() const {
  std::vector<std::pair<graph::PortRef, std::size_t>> points;
  for (QGraphicsItem* item : scene_->selectedItems())
    if (item->type() == RerouteItem::Type) {
      const auto* dot = static_cast<RerouteItem*>(item);
      points.emplace_back(dot->edge()->edge().to, dot->index());
    }
  std::sort(points.begin(), points.end());
  return points;
}

QRectF AnnotationLayer::boundingRect() const {
  QRectF rect;
  for (const auto& [id, item] : frames_)
    rect |= item->sceneBoundingRect();
  for (const auto& [id, item] : comments_)
    rect |= item->sceneBoundingRect();
  return rect;
}

void AnnotationLayer::select(const std::vector<graph::AnnotationId>& ids) {
  for (const graph::AnnotationId id : ids) {
    if (FrameItem* frame = frameItem(id)) frame->setSelected(true);
    if (CommentItem* comment = commentItem(id)) comment->setSelected(true);
  }
}

std::optional<graph::Annotations> AnnotationLayer::moved() const {
  const graph::Annotations& now = scene_->session()->document().annotations();
  graph::Annotations after = now;
  for (const auto& [id, item] : frames_) {
    graph::Frame frame = item->frame();
    frame.rect = item->rect();
    after.putFrame(frame);
  }
  for (const auto& [id, item] : comments_) {
    graph::Comment comment = item->comment();
    comment.rect = item->rect();
    after.putComment(comment);
  }
  for (EdgeItem* edge : edgeItems())
    if (now.reroutes().count(edge->edge().to)) after.setReroutes(edge->edge().to, edge->reroutes());
  if (after == now) return std::nullopt;
  return after;
}

void AnnotationLayer::commitMoves(const std::map<graph::NodeId, QPointF>& nodes) {
  if (const auto after = moved())
    scene_->session()->moveWithAnnotations(nodes, *after);
  else if (!nodes.empty())
    scene_->session()->moveNodes(nodes);
}

void AnnotationLayer::addReroutePoint(EdgeItem* edge, QPointF scenePos) {
  std::vector<graph::Point> points = edge->reroutes();
  points.insert(points.begin() + std::ptrdiff_t(edge->insertionIndex(scenePos)),
                {scenePos.x(), scenePos.y()});
  scene_->session()->setReroutes(edge->edge().to, points, tr("Add reroute point"));
}

void AnnotationLayer::removeReroutePoint(graph::PortRef input, std::size_t index) {
  std::vector<graph::Point> points = scene_->session()->document().annotations().reroutesOf(input);
  if (index >= points.size()) return;
  points.erase(points.begin() + std::ptrdiff_t(index));
  scene_->session()->setReroutes(input, points, tr("Remove reroute point"));
}

bool AnnotationLayer::doubleClick(QPointF scenePos) {
  for (QGraphicsItem* item : scene_->items(scenePos)) {
    switch (item->type()) {
    case NodeItem::Type:
    case PortItem::Type:
    case GroupItem::Type: return false;
    case RerouteItem::Type: {
      const auto* dot = static_cast<RerouteItem*>(item);
      const graph::PortRef input = dot->edge()->edge().to;
      const std::size_t index = dot->index();
      // After this event: the point's item goes with it, and it has the mouse.
      QTimer::singleShot(0, this, [this, input, index] { removeReroutePoint(input, index); });
      return true;
    }
    case EdgeItem::Type:
      if (!item->isVisible()) continue;
      addReroutePoint(static_cast<EdgeItem*>(item), scenePos);
      return true;
    case FrameItem::Type:
    case CommentItem::Type: {
      const graph::AnnotationId id = static_cast<AnnotationItem*>(item)->id();
      QTimer::singleShot(0, this, [this, id] { Q_EMIT editRequested(id); }); // a dialog: not inside the event
      return true;
    }
    default: continue;
    }
  }
  return false;
}

} // namespace mg::ui
