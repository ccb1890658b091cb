#pragma once
// The canvas's commands for frames, comments and reroute points, as QActions of the view (shortcuts while
// the canvas has focus, listed in the Edit menu): Frame Selection (Ctrl+J), Add Comment (Shift+C); and the
// canvas's context menu, which offers what fits the place clicked (a wire, a reroute point, a frame or a
// comment) besides the view's editing commands.
#include <QObject>
#include <QPointF>

#include "graph/annotations.h"

class QAction;
class QMenu;
class QPoint;

namespace mg::ui {

class GraphView;
class GraphScene;

class AnnotationActions : public QObject {
  Q_OBJECT
public:
  explicit AnnotationActions(GraphView* view);

  QList<QAction*> actions() const { return {frame_, comment_}; }
  QAction* frameAction() const { return frame_; }
  QAction* commentAction() const { return comment_; }

  // A frame around the selected nodes (or an empty one at `scenePos` when none is selected), selected.
  graph::AnnotationId frameSelection(QPointF scenePos);
  graph::AnnotationId addComment(QPointF scenePos);
  // The edit dialog for a frame or a comment; its changes are one undo step.
  void edit(graph::AnnotationId id);
  // The context menu for `scenePos`, filled (for tests) or shown at `globalPos`.
  void fillContextMenu(QMenu* menu, QPointF scenePos);
  void showContextMenu(QPointF scenePos, const QPoint& globalPos);

private:
  GraphScene* scene() const;
  QPointF cursorScenePos() const;

  GraphView* view_;
  QAction* frame_;
  QAction* comment_;
};

} // namespace mg::ui
