#include "editor/edge_item.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include "editor/graph_scene.h"
#include "editor/node_item.h"
#include "editor/reroute_item.h"

#include <algorithm>
#include <cmath>
#include <limits>

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
  for (QGraphicsItem* child : childItems())
    child->update();
}

void EdgeItem::setEnds(QPointF from, QPointF to) {
  from_ = from;
  to_ = to;
  rebuildPath();
}

std::vector<QPainterPath> EdgeItem::segments() const {
  std::vector<QPointF> points{from_};
  for (const graph::Point& p : reroutes())
    points.emplace_back(p.x, p.y);
  points.push_back(to_);
  std::vector<QPainterPath> out;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    // Tangents leave the output to the right and enter the input from the left, stretched when the input
    // lies behind the output so the curve loops around instead of cutting through the nodes; reroute
    // points are passed through horizontally, with gentler tangents.
    const QPointF a = points[i], b = points[i + 1];
    const double least = points.size() == 2 ? 50.0 : 30.0;
    const double dx = std::max(least, std::abs(b.x() - a.x()) * 0.5);
    QPainterPath path(a);
    path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b);
    out.push_back(path);
  }
  return out;
}

void EdgeItem::rebuildPath() {
  QPainterPath path(from_);
  for (const QPainterPath& segment : segments())
    path.connectPath(segment);
  setPath(path);
}

void EdgeItem::setReroutes(const std::vector<graph::Point>& points) {
  std::vector<RerouteItem*> dots;
  for (QGraphicsItem* child : childItems())
    if (child->type() == RerouteItem::Type) dots.push_back(static_cast<RerouteItem*>(child));
  std::sort(dots.begin(), dots.end(), [](auto* a, auto* b) { return a->index() < b->index(); });
  while (dots.size() > points.size()) {
    delete dots.back();
    dots.pop_back();
  }
  while (dots.size() < points.size())
    dots.push_back(new RerouteItem(this, dots.size()));
  for (std::size_t i = 0; i < points.size(); ++i)
    dots[i]->setPos(points[i].x, points[i].y); // each move rebuilds the path; a handful of points
  rebuildPath();
}

std::vector<graph::Point> EdgeItem::reroutes() const {
  std::vector<std::pair<std::size_t, QPointF>> dots;
  for (const QGraphicsItem* child : childItems())
    if (child->type() == RerouteItem::Type)
      dots.emplace_back(static_cast<const RerouteItem*>(child)->index(), child->pos());
  std::sort(dots.begin(), dots.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<graph::Point> points;
  for (const auto& [index, p] : dots)
    points.push_back({p.x(), p.y()});
  return points;
}

std::size_t EdgeItem::insertionIndex(QPointF scenePos) const {
  const auto stretches = segments();
  std::size_t best = 0;
  double bestDistance = std::numeric_limits<double>::max();
  for (std::size_t i = 0; i < stretches.size(); ++i) {
    for (int step = 0; step <= 32; ++step) {
      const QPointF p = stretches[i].pointAtPercent(step / 32.0) - scenePos;
      const double d = p.x() * p.x() + p.y() * p.y();
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    }
  }
  return best;
}

QPainterPath EdgeItem::shape() const {
  QPainterPathStroker stroker;
  stroker.setWidth(12);
  return stroker.createStroke(path());
}

QColor EdgeItem::drawnColour() const {
  // While nodes are selected, the wires that touch none of them step back: a node fed by a dozen wires
  // (Compare) shows which are its own.
  QColor colour = colour_;
  const auto* canvas = qobject_cast<const GraphScene*>(scene());
  if (!isSelected() && !preview_ && canvas && canvas->hasSelectedNodes() && !touchesSelection(*canvas))
    colour.setAlphaF(colour.alphaF() * kFadedAlpha);
  return colour;
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
  const QColor colour = drawnColour();
  QPen pen(colour, selected ? 3.0 : 2.4, preview_ ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap);
  painter->setPen(pen);
  painter->drawPath(path());
}

} // namespace mg::ui
