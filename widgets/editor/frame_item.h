#pragma once
// A frame on the canvas (graph::Frame): a coloured rectangle behind the nodes with its title in a band at
// the top and its Markdown comment below. Dragging it carries along what lies inside it when the drag
// starts (nodes, comments, reroute points, smaller frames); zoomed far out its title grows so that the
// graph's parts stay named.
#include <QGraphicsItem>

#include <vector>

#include "editor/annotation_item.h"

namespace mg::ui {

class FrameItem : public AnnotationItem {
public:
  enum { Type = UserType + 10 };

  FrameItem(const graph::Frame& frame, const EditorStyle* style);
  int type() const override { return Type; }

  void setFrame(const graph::Frame& frame);
  const graph::Frame& frame() const { return frame_; } // as in the document
  // The items a drag of the frames now selected (and this one) would carry along.
  std::vector<QGraphicsItem*> passengers() const;

  // Only the title band and the resize corner: the body is canvas (rubber-band selection, double-click to
  // add a node), so a large frame does not get in the way of working inside it.
  QPainterPath shape() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
  void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
  graph::Frame frame_;
  double band_;                            // the title band's height as last drawn (taller far out)
  std::vector<QGraphicsItem*> passengers_; // during a drag of this frame
  QPointF lastPos_;
};

} // namespace mg::ui
