#pragma once
// The canvas model of a project: one NodeItem per node and one EdgeItem per edge, built from the session's
// document and kept in step with it through its signals (the document knows nothing of items, as in the
// QGIS Processing modeler). Gestures become session calls: dragging an edge between ports, dropping node
// types, files and adapters, moving nodes. Also carries what is drawn over the document: engine badges and
// validation markers.
#include <QGraphicsScene>

#include <map>
#include <optional>
#include <vector>

#include "editor/editor_style.h"
#include "editor/node_ids_metatype.h"
#include "editor/node_badge.h"
#include "graph/auto_layout.h"
#include "graph/node.h"
#include "graph/node_groups.h"
#include "graph/validation.h"

class QMimeData;

namespace mg::ui {

class ProjectSession;
class NodeItem;
class EdgeItem;
class GroupItem;
class PortItem;
class AnnotationLayer;

class GraphScene : public QGraphicsScene {
  Q_OBJECT
public:
  // `session` must outlive the scene (the items read its document).
  explicit GraphScene(ProjectSession* session, QObject* parent = nullptr);
  ~GraphScene() override;

  ProjectSession* session() const { return session_; }

  void setStyle(const EditorStyle& style);
  const EditorStyle& style() const { return style_; }

  NodeItem* nodeItem(graph::NodeId id) const;
  EdgeItem* edgeItem(graph::PortRef input) const; // the edge into an input
  GroupItem* groupItem(graph::GroupId id) const;
  // The group the selection is about: a selected collapsed group, else the group of the selected nodes.
  std::optional<graph::GroupId> selectedGroup() const;
  std::size_t edgeItemCount() const { return edges_.size(); }
  // Frames, comments and reroute points.
  AnnotationLayer* annotationLayer() const { return annotations_; }

  // Ascending; a selected collapsed group counts as its nodes.
  std::vector<graph::NodeId> selectedNodes() const;
  bool hasSelectedNodes() const { return hasSelectedNodes_; }
  std::vector<graph::PortRef> selectedEdges() const;       // by input
  void selectNodes(const std::vector<graph::NodeId>& ids); // replaces the selection

  // What the engine says about nodes (badges stay until changed or cleared; removed nodes lose theirs).
  void setBadge(graph::NodeId id, const NodeBadge& badge);
  void clearBadges();
  // Validation markers; the scene follows ProjectSession::issuesChanged by itself.
  void setIssues(const std::vector<graph::Issue>& issues);

  bool snapToGrid() const { return snapToGrid_; }
  void setSnapToGrid(bool on) { snapToGrid_ = on; }
  static constexpr double kGrid = 20.0;
  // A position on the grid when snapping is on (and the position does not come from the document).
  QPointF snapped(QPointF position) const;
  // The size of a node on the canvas, for auto-layout.
  graph::LayoutSize nodeSize(graph::NodeId id) const;

  // Edge dragging, also driven by the mouse handlers (public for tests and the view).
  bool isDraggingEdge() const { return drag_.has_value(); }
  void beginEdgeDrag(PortItem* port, QPointF scenePos);
  void moveEdgeDrag(QPointF scenePos);
  void endEdgeDrag(QPointF scenePos);
  void cancelEdgeDrag();

  // Handles dropped node types, sources and file URLs at `scenePos`; true when something was made.
  bool dropMimeData(const QMimeData* data, QPointF scenePos);
  static bool canDrop(const QMimeData* data);

Q_SIGNALS:
  void selectedNodesChanged(const std::vector<graph::NodeId>& nodes);
  // Something the user should read in the status bar (a refused connection, an unrecognised file).
  void statusMessage(const QString& text);
  // An edge dragged from `port` (an output when `fromOutput`) let go on empty canvas: the view offers the
  // quick-add palette filtered to types that can take it.
  void danglingEdgeDropped(graph::PortRef port, bool fromOutput, QPointF scenePos);
  // A node was double-clicked (the main window shows its properties).
  void nodeDoubleClicked(graph::NodeId node);

protected:
  void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void dragEnterEvent(QGraphicsSceneDragDropEvent* event) override;
  void dragMoveEvent(QGraphicsSceneDragDropEvent* event) override;
  void dragLeaveEvent(QGraphicsSceneDragDropEvent* event) override;
  void dropEvent(QGraphicsSceneDragDropEvent* event) override;
  void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
  struct EdgeDrag {
    graph::PortRef port; // where the drag started, or the output of a picked-up edge
    bool fromOutput = true;
    graph::PortType type = graph::PortType::Model;
    std::optional<graph::PortRef> pickedUp; // the input whose edge is being moved
    EdgeItem* preview = nullptr;
    PortItem* hovered = nullptr;
  };

  void rebuild();
  void addNodeItem(graph::NodeId id);
  void removeNodeItem(graph::NodeId id);
  void addEdgeItem(const graph::Edge& edge);
  void removeEdgeItem(const graph::Edge& edge);
  void refreshNode(graph::NodeId id); // labels and ports, then its edges
  void updateEdgesOf(graph::NodeId id);
  void updateEdgePath(EdgeItem* edge) const;
  // Group items from the document: collapsed groups hide their nodes and inner edges and carry the edges
  // that cross their border.
  void syncGroups();
  // Where an edge's ends are drawn: at its nodes' ports, or at a collapsed group standing in for a node.
  QPointF outputAnchor(const graph::Edge& edge) const;
  QPointF inputAnchor(const graph::Edge& edge) const;
  void commitMoves();
  void applyIssues();
  PortItem* portAt(QPointF scenePos) const;
  NodeItem* nodeAt(QPointF scenePos) const;
  bool accepts(const PortItem* port) const; // during an edge drag
  void setPortsGreyed(bool dragging);
  void refuse(const QString& reason);
  // Existing nodes dropped (node_list_mime.h): on `target` they feed it, elsewhere a new merge.
  bool dropExistingNodes(const std::vector<graph::NodeId>& nodes, NodeItem* target, QPointF scenePos);
  // The node placed so that the drop point is the middle of its title.
  QPointF nodeOrigin(QPointF dropPoint) const;

  // What a drag from outside would connect to: the output type of the source it carries.
  std::optional<graph::PortType> draggedSourceType(const QMimeData* data) const;
  void setDropHighlight(NodeItem* node);

  ProjectSession* session_; // outlives the scene
  EditorStyle style_;
  std::map<graph::NodeId, NodeItem*> nodes_;
  std::map<graph::PortRef, EdgeItem*> edges_; // by input
  std::map<graph::GroupId, GroupItem*> groups_;
  std::map<graph::NodeId, GroupItem*> collapsedGroupOf_; // the collapsed group standing in for a node
  std::map<graph::NodeId, NodeBadge> badges_;
  std::vector<graph::Issue> issues_;
  std::optional<EdgeDrag> drag_;
  bool snapToGrid_ = true;
  bool syncing_ = false;                    // positions come from the document: never snap them
  std::optional<graph::PortType> dragType_; // of the external drag in progress
  NodeItem* dropHighlight_ = nullptr;
  bool hasSelectedNodes_ = false;
  AnnotationLayer* annotations_ = nullptr;
};

} // namespace mg::ui

Q_DECLARE_METATYPE(mg::graph::PortRef)
