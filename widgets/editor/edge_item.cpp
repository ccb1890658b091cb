#include "editor/edge_item.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include "editor/graph_scene.h"
#include "editor/node_item.h"

#include <algorithm>
#include <cmath>

namespace mg::ui {

namespace {
constexpr double kFadedAlpha = 0.25;
}

bool EdgeItem::touchesSelection(const GraphScene& canvas) const {
  for (const graph::NodeId id : {edge_.from.node, edge_.to.node})
    if (const NodeItem* node = canvas.nodeItem(id); node && node->isSelected()) return true;
  return false;
}

EdgeItem::EdgeItem(const graph::Edge& edge, const QColor& colour, const QColor& selectedColour, bool preview)
    : edge_(edge), colour_(colour), selectedColour_(selectedColour), preview_(preview) {
  setZValue(preview ? 10 : -1); // behind nodes; the preview above everything
  if (!preview) setFlag(ItemIsSelectable);
}

void EdgeItem::setColours(const QColor& colour, const QColor& selectedColour) {
  colour_ = colour;
  selectedColour_ = selectedColour;
  update();
}

void EdgeItem::setEnds(QPointF from, QPointF to) {
  // Tangents leave the output to the right and enter the input from the left, stretched when the input
  // lies behind the output so the curve loops around instead of cutting through the nodes.
  const double dx = std::max(50.0, std::abs(to.x() - from.x()) * 0.5);
  QPainterPath path(from);
  path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
  setPath(path);
}

QPainterPath EdgeItem::shape() const {
  QPainterPathStroker stroker;
  stroker.setWidth(12);
  return stroker.createStroke(path());
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setBrush(Qt::NoBrush);
  const bool selected = option->state & QStyle::State_Selected;
  if (selected) {
    QColor glow = selectedColour_;
    glow.setAlpha(110);
    painter->setPen(QPen(glow, 7.0, Qt::SolidLine, Qt::RoundCap));
    painter->drawPath(path());
  }
  // While nodes are selected, the wires that touch none of them step back: a node fed by a dozen wires
  // (Compare) shows which are its own.
  QColor colour = colour_;
  const auto* canvas = qobject_cast<const GraphScene*>(scene());
  if (!selected && !preview_ && canvas && canvas->hasSelectedNodes() && !touchesSelection(*canvas))
    colour.setAlphaF(colour.alphaF() * kFadedAlpha);
  QPen pen(colour, selected ? 3.0 : 2.4, preview_ ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap);
  painter->setPen(pen);
  painter->drawPath(path());
}

} // namespace mg::ui
