#include "editor/annotation_item.h"

#include <QAbstractTextDocumentLayout>
#include <QCursor>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>

#include <algorithm>

#include "editor/editor_style.h"
#include "editor/graph_scene.h"

namespace mg::ui {

AnnotationItem::AnnotationItem(graph::AnnotationId id, const EditorStyle* style) : style_(style), id_(id) {
  setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
  setAcceptHoverEvents(true);
  QFont font;
  font.setPixelSize(13);
  text_.setDefaultFont(font);
  text_.setDocumentMargin(0);
}

graph::Rect AnnotationItem::rect() const {
  return {pos().x(), pos().y(), size_.width(), size_.height()};
}

void AnnotationItem::setRect(const graph::Rect& rect) {
  placing_ = true;
  setPos(rect.x, rect.y);
  placing_ = false;
  const QSizeF size(rect.width, rect.height);
  if (size != size_) {
    prepareGeometryChange();
    size_ = size;
  }
}

QRectF AnnotationItem::boundingRect() const {
  return box().adjusted(-2, -2, 2, 2); // the selection outline
}

void AnnotationItem::setMarkdown(const std::string& text) {
  if (text == markdown_ && !text_.isEmpty()) return;
  markdown_ = text;
  text_.setMarkdown(QString::fromStdString(text));
  update();
}

void AnnotationItem::paintText(QPainter* painter, QPointF topLeft, double width, const QRectF& clip,
                               const QColor& colour) {
  if (width <= 0 || clip.height() <= 0) return;
  if (text_.textWidth() != width) text_.setTextWidth(width);
  painter->save();
  painter->setClipRect(clip);
  painter->translate(topLeft);
  QAbstractTextDocumentLayout::PaintContext context;
  context.palette.setColor(QPalette::Text, colour);
  context.clip = clip.translated(-topLeft);
  text_.documentLayout()->draw(painter, context);
  painter->restore();
}

void AnnotationItem::paintGrip(QPainter* painter, const QColor& colour) const {
  painter->setPen(QPen(colour, 1.2));
  const QPointF corner = box().bottomRight() - QPointF(3, 3);
  for (const double d : {4.0, 8.0, 12.0})
    painter->drawLine(corner - QPointF(d, 0), corner - QPointF(0, d));
}

bool AnnotationItem::inGrip(QPointF itemPos) const {
  return QRectF(box().bottomRight() - QPointF(kGrip, kGrip), QSizeF(kGrip, kGrip)).contains(itemPos);
}

QVariant AnnotationItem::itemChange(GraphicsItemChange change, const QVariant& value) {
  if (change == ItemPositionChange && !placing_)
    if (auto* graph = qobject_cast<GraphScene*>(scene())) return graph->snapped(value.toPointF());
  return QGraphicsItem::itemChange(change, value);
}

void AnnotationItem::hoverMoveEvent(QGraphicsSceneHoverEvent* event) {
  setCursor(inGrip(event->pos()) ? Qt::SizeFDiagCursor : Qt::ArrowCursor);
  QGraphicsItem::hoverMoveEvent(event);
}

void AnnotationItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
  if (event->button() == Qt::LeftButton && inGrip(event->pos())) {
    resizing_ = true;
    pressScenePos_ = event->scenePos();
    pressSize_ = size_;
    event->accept();
    return;
  }
  QGraphicsItem::mousePressEvent(event);
}

void AnnotationItem::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
  if (!resizing_) return QGraphicsItem::mouseMoveEvent(event);
  const QPointF delta = event->scenePos() - pressScenePos_;
  QSizeF size(std::max(kMinWidth, pressSize_.width() + delta.x()),
              std::max(kMinHeight, pressSize_.height() + delta.y()));
  if (auto* graph = qobject_cast<GraphScene*>(scene())) { // the far corner on the grid, as nodes are
    const QPointF corner = graph->snapped(pos() + QPointF(size.width(), size.height())) - pos();
    size = QSizeF(std::max(kMinWidth, corner.x()), std::max(kMinHeight, corner.y()));
  }
  prepareGeometryChange();
  size_ = size;
  update();
}

void AnnotationItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
  resizing_ = false;
  QGraphicsItem::mouseReleaseEvent(event);
}

} // namespace mg::ui
