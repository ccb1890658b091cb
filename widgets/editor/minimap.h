#pragma once
// An overview of the whole graph in a corner of the canvas: every node as a small box in its category's
// colour and the visible part of the canvas as a frame. Clicking or dragging in it moves the view there.
#include <QWidget>

class QGraphicsView;

namespace mg::ui {

class GraphScene;

class Minimap : public QWidget {
  Q_OBJECT
public:
  Minimap(GraphScene* scene, QGraphicsView* view);

  // Where a point of the minimap lies on the canvas (for clicks); the whole graph fits the widget.
  QPointF toScene(QPointF local) const;

public Q_SLOTS:
  void placeInCorner(); // bottom right of the view

protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

private:
  QRectF graphRect() const; // the nodes and the visible area, with a margin
  QTransform sceneToLocal() const;

  GraphScene* scene_;
  QGraphicsView* view_;
};

} // namespace mg::ui
