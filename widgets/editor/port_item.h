#pragma once
// One input or output of a node on the canvas: a dot in the port type's colour on the node's edge. Edges
// are dragged from it; while one is dragged, ports that cannot take it are greyed.
#include <QGraphicsItem>

#include <cstddef>

#include "graph/node.h"
#include "graph/port_type.h"

namespace mg::ui {

struct EditorStyle;

class PortItem : public QGraphicsItem {
public:
  enum { Type = UserType + 2 };
  static constexpr double kRadius = 6.0;

  PortItem(graph::NodeId node, std::size_t index, bool isInput, graph::PortType portType, bool connected,
           const EditorStyle* style, QGraphicsItem* parent);
  int type() const override { return Type; }

  graph::NodeId node() const { return node_; }
  std::size_t index() const { return index_; }
  graph::PortRef ref() const { return {node_, index_}; }
  bool isInput() const { return isInput_; }
  graph::PortType portType() const { return portType_; }

  // While an edge is dragged: greyed when it cannot take the edge, highlighted when it is the target.
  void setGreyed(bool greyed);
  bool isGreyed() const { return greyed_; }
  void setHighlighted(bool highlighted);

  QRectF boundingRect() const override;
  QPainterPath shape() const override; // larger than the dot: easy to hit
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
  void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
  void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;

private:
  graph::NodeId node_;
  std::size_t index_;
  bool isInput_;
  graph::PortType portType_;
  bool connected_;
  const EditorStyle* style_;
  bool greyed_ = false;
  bool highlighted_ = false;
  bool hovered_ = false;
};

} // namespace mg::ui
