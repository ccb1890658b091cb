#include "editor/reroute_item.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include "editor/edge_item.h"

namespace mg::ui {

RerouteItem::RerouteItem(EdgeItem* edge, std::size_t index) : QGraphicsItem(edge), index_(index) {
  setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
  setCursor(Qt::SizeAllCursor);
}

EdgeItem* RerouteItem::edge() const {
  return static_cast<EdgeItem*>(parentItem());
}

QRectF RerouteItem::boundingRect() const {
  const double r = kRadius + 4.0; // the selection ring
  return {-r, -r, 2 * r, 2 * r};
}

QPainterPath RerouteItem::shape() const {
  QPainterPath path;
  path.addEllipse(QPointF(0, 0), kRadius + 3.0, kRadius + 3.0); // easier to catch than to see
  return path;
}

void RerouteItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  painter->setRenderHint(QPainter::Antialiasing);
  const bool selected = option->state & QStyle::State_Selected;
  if (selected) {
    painter->setPen(QPen(edge()->selectedColour(), 2.0));
    painter->setBrush(Qt::NoBrush);
    painter->drawEllipse(QPointF(0, 0), kRadius + 2.5, kRadius + 2.5);
  }
  painter->setPen(Qt::NoPen);
  painter->setBrush(edge()->drawnColour());
  painter->drawEllipse(QPointF(0, 0), kRadius, kRadius);
}

QVariant RerouteItem::itemChange(GraphicsItemChange change, const QVariant& value) {
  if (change == ItemPositionHasChanged && parentItem()) edge()->rebuildPath();
  return QGraphicsItem::itemChange(change, value);
}

} // namespace mg::ui
