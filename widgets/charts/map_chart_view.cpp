#include "charts/map_chart_view.h"

#include <QApplication>
#include <QChart>
#include <QDrag>
#include <QGraphicsEllipseItem>
#include <QGraphicsPathItem>
#include <QGraphicsSimpleTextItem>
#include <QKeyEvent>
#include <QLegend>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainterPath>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "charts/chart_style.h"
#include "theme/theme.h"

namespace mg::ui {

namespace {

constexpr double kMarker = 11.0;   // marker diameter, pixels
constexpr double kHitRadius = 9.0; // how near the pointer must be to a point to hover or pick it

} // namespace

MapChartView::MapChartView(QWidget* parent) : QChartView(new QChart, parent) {
  setObjectName(QStringLiteral("embeddingMapChart"));
  setRenderHint(QPainter::Antialiasing);
  setMouseTracking(true);
  setFocusPolicy(Qt::ClickFocus); // for Ctrl+A and Escape after clicking the map
  setMinimumSize(320, 240);
  chart()->setAnimationOptions(QChart::NoAnimation);
  chart()->setMargins(QMargins(4, 4, 4, 4));
  chart()->legend()->setAlignment(Qt::AlignRight);
  // Projected coordinates have no units worth reading: a light grid keeps the eye, the labels go.
  xAxis_ = new QValueAxis;
  yAxis_ = new QValueAxis;
  for (auto* axis : {xAxis_, yAxis_}) {
    axis->setLabelsVisible(false);
    axis->setTickCount(5);
  }
  chart()->addAxis(xAxis_, Qt::AlignBottom);
  chart()->addAxis(yAxis_, Qt::AlignLeft);
  connect(chart(), &QChart::plotAreaChanged, this, [this] { placeDecorations(); });
  restyle();
}

void MapChartView::setPoints(const std::vector<QPointF>& points, const QStringList& names,
                             const MapGroups& groups) {
  for (auto* label : labels_)
    delete label;
  labels_.clear();
  chart()->removeAllSeries();
  series_.clear();
  points_ = points;
  groups_ = groups;
  selection_.clear();
  hoverText_.clear();
  for (int g = 0; g < int(groups.names.size()); ++g) {
    auto* series = new QScatterSeries;
    series->setName(groups.names[g]);
    series->setMarkerSize(kMarker);
    series->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    for (std::size_t i = 0; i < points.size(); ++i)
      if (groups.groupOf[i] == g) series->append(points[i]);
    chart()->addSeries(series);
    series->attachAxis(xAxis_);
    series->attachAxis(yAxis_);
    series_ << series;
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto* label =
        new QGraphicsSimpleTextItem(i < std::size_t(names.size()) ? names[int(i)] : QString(), chart());
    label->setZValue(5);
    labels_.push_back(label);
  }
  chart()->legend()->setVisible(groups.names.size() > 1);
  fitAxes();
  restyle();
  Q_EMIT selectionChanged();
}

void MapChartView::setAxisTitles(const QString& x, const QString& y) {
  xAxis_->setTitleText(x);
  yAxis_->setTitleText(y);
  xAxis_->setLabelsVisible(!x.isEmpty());
  yAxis_->setLabelsVisible(!y.isEmpty());
}

void MapChartView::fitAxes() {
  if (points_.empty()) {
    xAxis_->setRange(-1, 1);
    yAxis_->setRange(-1, 1);
    return;
  }
  double x0 = points_[0].x(), x1 = x0, y0 = points_[0].y(), y1 = y0;
  for (const auto& p : points_) {
    x0 = std::min(x0, p.x()), x1 = std::max(x1, p.x());
    y0 = std::min(y0, p.y()), y1 = std::max(y1, p.y());
  }
  // Each axis padded in its own units (a plot's two measures differ); a degenerate extent (one point, all
  // on a line) gets a span around its value. Names are written right of their points: more room there.
  const auto pad = [](double lo, double hi) {
    const double span = hi - lo;
    return span > 1e-12 ? span * 0.12 : std::max(std::abs(lo) * 0.1, 0.5);
  };
  const double padX = pad(x0, x1), padY = pad(y0, y1);
  xAxis_->setRange(x0 - padX, x1 + padX * 2.5);
  yAxis_->setRange(y0 - padY, y1 + padY);
  if (xAxis_->labelsVisible()) xAxis_->applyNiceNumbers();
  if (yAxis_->labelsVisible()) yAxis_->applyNiceNumbers();
}

void MapChartView::restyle() {
  styleChart(chart(), palette());
  const bool dark = isDark(palette());
  for (int g = 0; g < series_.size(); ++g) {
    series_[g]->setColor(seriesColor(g, dark));
    series_[g]->setBorderColor(palette().color(QPalette::Base));
  }
  for (auto* label : labels_)
    label->setBrush(chart()->legend()->labelColor()); // the chart's text colour, set by styleChart
  placeDecorations();
}

QPoint MapChartView::viewPosition(int point) const {
  if (point < 0 || std::size_t(point) >= points_.size() || series_.isEmpty()) return {};
  const QPointF inChart = chart()->mapToPosition(points_[std::size_t(point)], series_.front());
  return mapFromScene(chart()->mapToScene(inChart));
}

int MapChartView::pointAt(const QPoint& viewPos) const {
  int best = -1;
  double bestDistance = kHitRadius;
  for (int i = 0; i < pointCount(); ++i) {
    const QPointF d = viewPosition(i) - viewPos;
    const double distance = std::hypot(d.x(), d.y());
    if (distance <= bestDistance) best = i, bestDistance = distance;
  }
  return best;
}

void MapChartView::placeDecorations() {
  if (series_.isEmpty()) return;
  // Names go right of their points; where that would cover a name already placed (points close together),
  // left, above or below (centred, then to the right); when no place is free the name is left out (hovering
  // the point still tells it).
  std::vector<QRectF> taken;
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    const QPointF at = chart()->mapToPosition(points_[i], series_.front());
    const QRectF box = labels_[i]->boundingRect();
    const double gap = kMarker * 0.7;
    const QPointF candidates[] = {at + QPointF(gap, -box.height() / 2),
                                  at + QPointF(-gap - box.width(), -box.height() / 2),
                                  at + QPointF(-box.width() / 2, -gap - box.height()),
                                  at + QPointF(-box.width() / 2, gap),
                                  at + QPointF(gap * 0.4, -gap - box.height()),
                                  at + QPointF(gap * 0.4, gap)};
    labels_[i]->setVisible(false);
    const QRectF plot = chart()->plotArea();
    for (const QPointF& corner : candidates) {
      const QRectF rect(corner, box.size());
      if (!plot.contains(rect)) continue; // a name cut by the plot's edge reads as another name
      const bool free =
          std::none_of(taken.begin(), taken.end(), [&](const QRectF& r) { return r.intersects(rect); });
      if (!free) continue;
      labels_[i]->setPos(corner);
      labels_[i]->setVisible(true);
      taken.push_back(rect);
      break;
    }
  }
  for (auto* ring : rings_)
    delete ring;
  rings_.clear();
  const QColor ringColour = palette().color(QPalette::Highlight);
  for (const int i : selection_) {
    const QPointF at = chart()->mapToPosition(points_[std::size_t(i)], series_.front());
    const double r = kMarker * 0.95;
    auto* ring = new QGraphicsEllipseItem(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r), chart());
    ring->setPen(QPen(ringColour, 2.5));
    ring->setZValue(4);
    rings_.push_back(ring);
  }
}

void MapChartView::setSelection(std::set<int> points) {
  for (auto it = points.begin(); it != points.end();)
    it = *it < 0 || *it >= pointCount() ? points.erase(it) : std::next(it);
  if (points == selection_) return;
  selection_ = std::move(points);
  placeDecorations();
  Q_EMIT selectionChanged();
}

void MapChartView::selectInside(const QPolygonF& polygon, bool add) {
  std::set<int> picked = add ? selection_ : std::set<int>();
  for (int i = 0; i < pointCount(); ++i)
    if (polygon.containsPoint(viewPosition(i), Qt::OddEvenFill)) picked.insert(i);
  setSelection(std::move(picked));
}

void MapChartView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QChartView::mousePressEvent(event);
  pressPos_ = event->position().toPoint();
  const bool add = event->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier);
  const int point = pointAt(pressPos_);
  if (point >= 0) {
    std::set<int> picked = selection_;
    if (add && picked.count(point))
      picked.erase(point);
    else if (add)
      picked.insert(point);
    else if (!picked.count(point))
      picked = {point}; // pressing a picked point keeps the others: it may start dragging them all
    setSelection(std::move(picked));
    dragCandidate_ = selection_.count(point) != 0;
    Q_EMIT pointClicked(point);
    event->accept();
    return;
  }
  // Empty space: a lasso starts.
  lassoPoints_ = QPolygonF{QPointF(pressPos_)};
  lasso_ = new QGraphicsPathItem;
  QColor fill = palette().color(QPalette::Highlight);
  lasso_->setPen(QPen(fill, 1.2, Qt::DashLine));
  fill.setAlpha(40);
  lasso_->setBrush(fill);
  lasso_->setZValue(10);
  scene()->addItem(lasso_);
  event->accept();
}

void MapChartView::mouseMoveEvent(QMouseEvent* event) {
  const QPoint at = event->position().toPoint();
  if (lasso_) {
    lassoPoints_ << QPointF(at);
    QPainterPath path;
    path.addPolygon(mapToScene(lassoPoints_.toPolygon()));
    path.closeSubpath();
    lasso_->setPath(path);
    return;
  }
  if (dragCandidate_ && (event->buttons() & Qt::LeftButton)) {
    if ((at - pressPos_).manhattanLength() < QApplication::startDragDistance()) return;
    dragCandidate_ = false;
    QMimeData* data = dragData ? dragData() : nullptr;
    if (!data) return;
    auto* drag = new QDrag(this);
    drag->setMimeData(data);
    drag->exec(Qt::CopyAction);
    return;
  }
  const int point = pointAt(at);
  if (point < 0 || !pointText) {
    hoverText_.clear();
    QToolTip::hideText();
    return;
  }
  hoverText_ = pointText(point);
  QToolTip::showText(event->globalPosition().toPoint(), hoverText_, this);
}

void MapChartView::mouseReleaseEvent(QMouseEvent* event) {
  dragCandidate_ = false;
  if (!lasso_) return QChartView::mouseReleaseEvent(event);
  const bool add = event->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier);
  delete lasso_;
  lasso_ = nullptr;
  // A click on empty space (no real lasso) clears the pick, as in any drawing program.
  if (lassoPoints_.size() < 3 ||
      lassoPoints_.boundingRect().width() + lassoPoints_.boundingRect().height() < 4) {
    if (!add) setSelection({});
  } else {
    selectInside(lassoPoints_, add);
  }
  lassoPoints_.clear();
  event->accept();
}

void MapChartView::keyPressEvent(QKeyEvent* event) {
  if (event->matches(QKeySequence::SelectAll)) {
    std::set<int> all;
    for (int i = 0; i < pointCount(); ++i)
      all.insert(i);
    setSelection(std::move(all));
  } else if (event->key() == Qt::Key_Escape && !selection_.empty()) {
    setSelection({});
  } else {
    return QChartView::keyPressEvent(event);
  }
  event->accept();
}

void MapChartView::leaveEvent(QEvent* event) {
  hoverText_.clear();
  QChartView::leaveEvent(event);
}

} // namespace mg::ui
