#pragma once
// An edge on the canvas: a horizontal-tangent bezier from an output to an input, in the colour of the
// output's type, faded while nodes it does not touch are selected. Also drawn, dashed, for the edge being
// dragged.
#include <QGraphicsPathItem>

#include "graph/node.h"

namespace mg::ui {

class GraphScene;

class EdgeItem : public QGraphicsPathItem {
public:
  enum { Type = UserType + 3 };

  // `edge` is empty for the dragged preview.
  EdgeItem(const graph::Edge& edge, const QColor& colour, const QColor& selectedColour, bool preview = false);
  int type() const override { return Type; }

  const graph::Edge& edge() const { return edge_; }
  void setEdge(const graph::Edge& edge) { edge_ = edge; }
  void setColours(const QColor& colour, const QColor& selectedColour);
  // From an output anchor to an input anchor (scene coordinates).
  void setEnds(QPointF from, QPointF to);

  QPainterPath shape() const override; // a band around the curve: clickable without pixel hunting
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
  bool touchesSelection(const GraphScene& canvas) const;

  graph::Edge edge_;
  QColor colour_;
  QColor selectedColour_;
  bool preview_;
};

} // namespace mg::ui
