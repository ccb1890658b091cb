#include "editor/port_item.h"

#include <QCursor>
#include <QPainter>

#include "editor/editor_style.h"

namespace mg::ui {

namespace {
constexpr double kHitRadius = 11.0;
}

PortItem::PortItem(graph::NodeId node, std::size_t index, bool isInput, graph::PortType portType,
                   bool connected, const EditorStyle* style, QGraphicsItem* parent)
    : QGraphicsItem(parent), node_(node), index_(index), isInput_(isInput), portType_(portType),
      connected_(connected), style_(style) {
  setAcceptHoverEvents(true);
  setCursor(Qt::CrossCursor);
  setZValue(2);
}

void PortItem::setGreyed(bool greyed) {
  if (greyed_ == greyed) return;
  greyed_ = greyed;
  setOpacity(greyed ? 0.25 : 1.0);
}

void PortItem::setHighlighted(bool highlighted) {
  if (highlighted_ == highlighted) return;
  highlighted_ = highlighted;
  update();
}

QRectF PortItem::boundingRect() const {
  return {-kHitRadius, -kHitRadius, 2 * kHitRadius, 2 * kHitRadius};
}

QPainterPath PortItem::shape() const {
  QPainterPath path;
  path.addEllipse(QPointF(), kHitRadius, kHitRadius);
  return path;
}

void PortItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
  const QColor colour = style_->portColor(portType_);
  const double r = (hovered_ || highlighted_) ? kRadius + 2.0 : kRadius;
  painter->setRenderHint(QPainter::Antialiasing);
  if (highlighted_) {
    QColor halo = colour;
    halo.setAlpha(90);
    painter->setPen(Qt::NoPen);
    painter->setBrush(halo);
    painter->drawEllipse(QPointF(), r + 4.0, r + 4.0);
  }
  // Connected ports are filled; free ones are rings, so what is missing shows at a glance.
  painter->setPen(QPen(colour, 2.0));
  painter->setBrush(connected_ ? QBrush(colour) : QBrush(style_->nodeBody));
  painter->drawEllipse(QPointF(), r - 1.0, r - 1.0);
}

void PortItem::hoverEnterEvent(QGraphicsSceneHoverEvent*) {
  hovered_ = true;
  update();
}

void PortItem::hoverLeaveEvent(QGraphicsSceneHoverEvent*) {
  hovered_ = false;
  update();
}

} // namespace mg::ui
