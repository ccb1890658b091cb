#pragma once
// An edge on the canvas: a horizontal-tangent bezier from an output to an input, in the colour of the
// output's type, faded while nodes it does not touch are selected; drawn through its reroute points
// (RerouteItem children), leaving and entering each horizontally. Also drawn, dashed, for the edge being
// dragged.
#include <QGraphicsPathItem>

#include <vector>

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
  // Its reroute points as in the document (one RerouteItem each), and where they stand now (a drag
  // included), from the output.
  void setReroutes(const std::vector<graph::Point>& points);
  std::vector<graph::Point> reroutes() const;
  // The index a point added at `scenePos` takes in reroutes(): it splits the stretch of wire nearest to it.
  std::size_t insertionIndex(QPointF scenePos) const;
  void rebuildPath();         // after a reroute point moved
  QColor drawnColour() const; // as paint() draws the wire now (faded or not)
  QColor selectedColour() const { return selectedColour_; }

  QPainterPath shape() const override; // a band around the curve: clickable without pixel hunting
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
  bool touchesSelection(const GraphScene& canvas) const;

  // The stretches of wire between the ends and the reroute points, each a horizontal-tangent bezier.
  std::vector<QPainterPath> segments() const;

  graph::Edge edge_;
  QPointF from_;
  QPointF to_;
  QColor colour_;
  QColor selectedColour_;
  bool preview_;
};

} // namespace mg::ui
