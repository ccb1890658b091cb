#pragma once
// The embedding map's scatter plot: points coloured by group with their names beside them, a ring around
// the picked ones. The mouse does what a user of a map expects: hovering a point tells about it (and its
// nearest neighbours), clicking picks it (Ctrl/Shift: adds or removes), dragging on empty space draws a
// lasso that picks what it encloses (Ctrl+A picks all, Escape none), and dragging a picked point carries the
// picked points away (onto the graph, where they feed a merge).
#include <QChartView>
#include <QPointF>
#include <QStringList>

#include <functional>
#include <set>
#include <vector>

#include "charts/map_points.h"

class QGraphicsPathItem;
class QGraphicsSimpleTextItem;
class QGraphicsEllipseItem;
class QMimeData;
class QScatterSeries;
class QValueAxis;

namespace mg::ui {

class MapChartView : public QChartView {
  Q_OBJECT
public:
  explicit MapChartView(QWidget* parent = nullptr);

  // Replaces the points (data coordinates), their names and colour groups; clears the selection.
  void setPoints(const std::vector<QPointF>& points, const QStringList& names, const MapGroups& groups);
  int pointCount() const { return int(points_.size()); }

  const std::set<int>& selection() const { return selection_; }
  void setSelection(std::set<int> points);

  // The point drawn within a few pixels of `viewPos` (the nearest), or -1.
  int pointAt(const QPoint& viewPos) const;
  // Where point `point` is drawn, in view coordinates.
  QPoint viewPosition(int point) const;
  // Picks the points inside `polygon` (view coordinates), adding to the selection when `add`.
  void selectInside(const QPolygonF& polygon, bool add);
  QList<QScatterSeries*> series() const { return series_; }

  // What hovering a point shows; what a drag of the selection carries (null: no drag).
  std::function<QString(int)> pointText;
  std::function<QMimeData*()> dragData;
  QString lastHoverText() const { return hoverText_; }

  // Axis titles, and the axes' numbers shown (a map's projected coordinates have none worth reading; a plot
  // of two measures does). Empty titles hide the numbers again.
  void setAxisTitles(const QString& x, const QString& y);
  QValueAxis* xAxis() const { return xAxis_; }
  QValueAxis* yAxis() const { return yAxis_; }

  // Recolours after a theme change.
  void restyle();

Q_SIGNALS:
  void pointClicked(int point);
  void selectionChanged();

protected:
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override; // Ctrl+A picks every point, Escape none

private:
  void placeDecorations(); // names and rings follow the plot area
  void fitAxes();

  std::vector<QPointF> points_;
  MapGroups groups_;
  std::set<int> selection_;
  QString hoverText_;
  QList<QScatterSeries*> series_;
  std::vector<QGraphicsSimpleTextItem*> labels_;
  std::vector<QGraphicsEllipseItem*> rings_;
  QValueAxis* xAxis_ = nullptr;
  QValueAxis* yAxis_ = nullptr;

  // Mouse gesture in progress.
  QGraphicsPathItem* lasso_ = nullptr;
  QPolygonF lassoPoints_;
  QPoint pressPos_;
  bool dragCandidate_ = false;
};

} // namespace mg::ui
