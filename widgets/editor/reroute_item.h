#pragma once
// A reroute point of an edge: a dot the wire is drawn through, a child of its EdgeItem (so it shows, hides
// and goes with it). Dragged, the wire follows; the scene commits where it was left (AnnotationLayer).
#include <QGraphicsItem>

#include <cstddef>

namespace mg::ui {

class EdgeItem;

class RerouteItem : public QGraphicsItem {
public:
  enum { Type = UserType + 12 };
  static constexpr double kRadius = 5.0;

  RerouteItem(EdgeItem* edge, std::size_t index);
  int type() const override { return Type; }
  EdgeItem* edge() const;
  std::size_t index() const { return index_; } // in the edge's points, from its output

  QRectF boundingRect() const override;
  QPainterPath shape() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
  std::size_t index_;
};

} // namespace mg::ui
