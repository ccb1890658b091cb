#pragma once
// An overview of the whole graph in a corner of the canvas: every node as a small box in its category's
// colour and the visible part of the canvas as a frame. Clicking or dragging in it moves the view there. It
// never hides nodes: it moves to a corner with none under it, or fades while every corner has some.
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

  // Whether it is faded because nodes lie under it in every corner.
  bool isFaded() const { return covering_; }

public Q_SLOTS:
  void placeInCorner(); // bottom right of the view, else a corner free of nodes

protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void enterEvent(QEnterEvent* event) override;
  void leaveEvent(QEvent* event) override;

private:
  QRectF graphRect() const; // the nodes and the visible area, with a margin
  QTransform sceneToLocal() const;
  bool coversNodes(const QRect& viewportRect) const; // a node lies under that part of the viewport
  void scheduleReplace();

  GraphScene* scene_;
  QGraphicsView* view_;
  bool covering_ = false;
  bool hovered_ = false;
  bool replaceScheduled_ = false;
};

} // namespace mg::ui
