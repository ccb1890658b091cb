#include "editor/minimap.h"

#include <QGraphicsView>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTimer>

#include "editor/annotation_layer.h"
#include "editor/frame_item.h"
#include "editor/graph_scene.h"
#include "editor/group_item.h"
#include "editor/node_item.h"
#include "graph/document.h"
#include "session/project_session.h"

namespace mg::ui {

namespace {
constexpr int kMargin = 12;
constexpr double kFadedOpacity = 0.3;
} // namespace

Minimap::Minimap(GraphScene* scene, QGraphicsView* view) : QWidget(view), scene_(scene), view_(view) {
  setObjectName(QStringLiteral("minimap"));
  resize(200, 130);
  setCursor(Qt::PointingHandCursor);
  setToolTip(tr("Overview: click to move the view"));
  const auto replace = [this] { scheduleReplace(); };
  connect(scene_, &QGraphicsScene::changed, this, replace);
  connect(view_->horizontalScrollBar(), &QScrollBar::valueChanged, this, replace);
  connect(view_->verticalScrollBar(), &QScrollBar::valueChanged, this, replace);
  placeInCorner();
}

void Minimap::placeInCorner() {
  // Bottom right, else the first other corner with no node under it; when every corner has one, it stays
  // at the bottom right and fades, its nodes showing through, until the pointer comes to it.
  const int left = kMargin;
  const int right = view_->viewport()->width() - width() - kMargin;
  const int top = kMargin;
  const int bottom = view_->viewport()->height() - height() - kMargin;
  const QPoint corners[] = {{right, bottom}, {left, bottom}, {right, top}, {left, top}};
  QPoint chosen = corners[0];
  covering_ = true;
  for (const QPoint corner : corners) {
    if (!coversNodes(QRect(corner, size()))) {
      chosen = corner;
      covering_ = false;
      break;
    }
  }
  const QPoint inView = view_->viewport()->mapTo(view_, chosen);
  if (pos() != inView) move(inView);
  raise();
  update();
}

bool Minimap::coversNodes(const QRect& viewportRect) const {
  const QPolygonF area = view_->mapToScene(viewportRect.adjusted(-4, -4, 4, 4));
  for (QGraphicsItem* item : scene_->items(area, Qt::IntersectsItemBoundingRect))
    if (item->type() == NodeItem::Type) return true;
  return false;
}

void Minimap::scheduleReplace() {
  // Scene changes come in bursts (a drag moves a node on every mouse event): place once per burst.
  if (!replaceScheduled_) {
    replaceScheduled_ = true;
    QTimer::singleShot(0, this, [this] {
      replaceScheduled_ = false;
      placeInCorner();
    });
  }
}

void Minimap::enterEvent(QEnterEvent*) {
  hovered_ = true;
  update();
}

void Minimap::leaveEvent(QEvent*) {
  hovered_ = false;
  update();
}

QRectF Minimap::graphRect() const {
  QRectF rect;
  for (const graph::NodeId id : scene_->session()->document().nodeIds())
    if (const NodeItem* item = scene_->nodeItem(id)) rect |= item->sceneBoundingRect();
  rect |= view_->mapToScene(view_->viewport()->rect()).boundingRect();
  return rect.adjusted(-40, -40, 40, 40);
}

QTransform Minimap::sceneToLocal() const {
  const QRectF source = graphRect();
  const QRectF target = QRectF(rect()).adjusted(4, 4, -4, -4);
  const double scale = std::min(target.width() / source.width(), target.height() / source.height());
  // Centred in the widget.
  const QPointF offset = target.center() - QPointF(source.center().x() * scale, source.center().y() * scale);
  return QTransform(scale, 0, 0, scale, offset.x(), offset.y());
}

QPointF Minimap::toScene(QPointF local) const {
  return sceneToLocal().inverted().map(local);
}

void Minimap::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  if (covering_ && !hovered_) painter.setOpacity(kFadedOpacity);
  const EditorStyle& style = scene_->style();
  QColor background = style.nodeBody;
  background.setAlpha(225);
  painter.setPen(QPen(style.nodeBorder, 1.0));
  painter.setBrush(background);
  painter.drawRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);

  const QTransform toLocal = sceneToLocal();
  const graph::Document& document = scene_->session()->document();
  // Frames first, as on the canvas: outlines in their colour behind the nodes.
  for (const auto& [id, frame] : document.annotations().frames()) {
    if (const FrameItem* item = scene_->annotationLayer()->frameItem(id)) {
      painter.setPen(QPen(style.groupColor, 1.0));
      painter.setBrush(Qt::NoBrush);
      painter.drawRect(toLocal.mapRect(item->sceneBoundingRect()));
    }
  }
  painter.setPen(Qt::NoPen);
  // A collapsed group is one box, as on the canvas; its hidden nodes are not drawn.
  for (const auto& [id, group] : document.groups().all()) {
    const GroupItem* item = scene_->groupItem(id);
    if (!item || !group.collapsed) continue;
    painter.setBrush(item->isSelected() ? style.groupColor : style.groupColor.lighter(120));
    painter.drawRoundedRect(toLocal.mapRect(item->sceneBoundingRect()), 1.5, 1.5);
  }
  for (const graph::NodeId id : document.nodeIds()) {
    const NodeItem* item = scene_->nodeItem(id);
    const graph::NodeType* type = document.nodeType(id);
    if (!item || !item->isVisible()) continue;
    QColor colour = style.categoryColor(type ? type->category : std::string());
    if (!item->isSelected()) colour.setAlpha(170);
    painter.setBrush(colour);
    painter.drawRoundedRect(toLocal.mapRect(item->sceneBoundingRect()), 1.5, 1.5);
  }
  const QRectF visible = toLocal.mapRect(view_->mapToScene(view_->viewport()->rect()).boundingRect());
  painter.setBrush(Qt::NoBrush);
  painter.setPen(QPen(style.nodeSelected, 1.5));
  painter.drawRect(visible.intersected(QRectF(rect()).adjusted(1, 1, -1, -1)));
}

void Minimap::mousePressEvent(QMouseEvent* event) {
  view_->centerOn(toScene(event->position()));
  event->accept();
}

void Minimap::mouseMoveEvent(QMouseEvent* event) {
  if (event->buttons() & Qt::LeftButton) view_->centerOn(toScene(event->position()));
  event->accept();
}

void Minimap::mouseReleaseEvent(QMouseEvent* event) {
  event->accept();
}

} // namespace mg::ui
