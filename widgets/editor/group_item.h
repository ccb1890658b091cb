#pragma once
// A node group on the canvas (graph/node_groups.h). Collapsed, it stands in for its nodes: one box with the
// group's title, how many nodes it holds, and one port per edge crossing its border (the members' own
// ports: an edge dragged from it starts at the member's output). Open, it is a dashed outline around its
// nodes with the title on a tab. Double-clicking either switches; the scene turns that into an undo step.
#include <QGraphicsObject>

#include <vector>

#include "graph/node_groups.h"

namespace mg::graph {
class Document;
}

namespace mg::ui {

struct EditorStyle;
class PortItem;

class GroupItem : public QGraphicsObject {
  Q_OBJECT
public:
  enum { Type = UserType + 20 };

  // `membersRect`: the scene rectangle of the members' boxes (an open group's outline goes around it; a
  // collapsed one stands at its top-left corner).
  GroupItem(const graph::Document& document, const graph::NodeGroup& group, QRectF membersRect,
            const EditorStyle* style);
  int type() const override { return Type; }
  graph::GroupId id() const { return group_.id; }
  bool isCollapsed() const { return group_.collapsed; }
  const graph::NodeGroup& group() const { return group_; }

  // Collapsed: where `edge` attaches to the group when it crosses the border (scene coordinates): the row of
  // its source coming in, of its member's output going out. nullopt for an edge that does not cross.
  std::optional<QPointF> inputAnchor(const graph::Edge& edge) const;
  std::optional<QPointF> outputAnchor(const graph::Edge& edge) const;
  const std::vector<PortItem*>& ports() const { return ports_; }
  // How far a drag moved it from where the members put it.
  QPointF dragOffset() const { return pos() - origin_; }
  // The open group's title tab, item coordinates (double-click there collapses it).
  QRectF tabRect() const;

  QRectF boundingRect() const override;
  QPainterPath shape() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

Q_SIGNALS:
  void moved();

protected:
  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
  double boxHeight() const;
  double rowY(std::size_t row) const;
  void paintCollapsed(QPainter* painter, bool selected, double zoom);
  void paintOpen(QPainter* painter, double zoom);

  graph::NodeGroup group_;
  const EditorStyle* style_;
  QRectF outline_; // open: around the members, item coordinates
  QPointF origin_;
  graph::BorderPorts border_;
  QStringList inputLabels_;
  QStringList outputLabels_;
  std::vector<PortItem*> ports_; // inputs, then outputs
};

} // namespace mg::ui
