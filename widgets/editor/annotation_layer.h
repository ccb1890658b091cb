#pragma once
// The frames, comments and reroute points of the canvas (graph/annotations.h), kept in step with the
// document beside the scene's nodes and edges: one FrameItem or CommentItem each, and the reroute points as
// children of their EdgeItems. Turns gestures on them into session calls: where a drag or resize left them
// (one step with the nodes a frame carried), a double-click on a wire (a new reroute point), on a reroute
// point (it goes) or on a frame or comment (editRequested()).
#include <QObject>
#include <QPointF>
#include <QRectF>

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "graph/annotations.h"

namespace mg::ui {

class GraphScene;
class FrameItem;
class CommentItem;
class EdgeItem;

class AnnotationLayer : public QObject {
  Q_OBJECT
public:
  explicit AnnotationLayer(GraphScene* scene);

  FrameItem* frameItem(graph::AnnotationId id) const;
  CommentItem* commentItem(graph::AnnotationId id) const;
  std::vector<graph::AnnotationId> selectedAnnotations() const; // frames and comments
  std::vector<std::pair<graph::PortRef, std::size_t>> selectedReroutePoints() const;
  QRectF boundingRect() const; // of the frames and comments, scene coordinates (for fitting the view)
  void select(const std::vector<graph::AnnotationId>& ids); // added to the selection

  // The annotations as their items stand now (after a drag or resize), or nullopt when they stand where the
  // document has them.
  std::optional<graph::Annotations> moved() const;
  // The end of a drag: the nodes' new places and the annotations' in one step.
  void commitMoves(const std::map<graph::NodeId, QPointF>& nodes);
  // A double-click at `scenePos` handled (a reroute point added or removed, an edit asked for); false when
  // it is not about an annotation or a wire (a node, a port or a group is in front).
  bool doubleClick(QPointF scenePos);
  // A reroute point on `edge` at `scenePos`, as one undo step.
  void addReroutePoint(EdgeItem* edge, QPointF scenePos);
  void removeReroutePoint(graph::PortRef input, std::size_t index);

Q_SIGNALS:
  void editRequested(graph::AnnotationId id);

private:
  void sync();         // frames and comments from the document
  void syncReroutes(); // every edge's points from the document
  std::vector<EdgeItem*> edgeItems() const;

  GraphScene* scene_;
  std::map<graph::AnnotationId, FrameItem*> frames_;
  std::map<graph::AnnotationId, CommentItem*> comments_;
};

} // namespace mg::ui
