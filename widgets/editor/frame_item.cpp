#include "editor/frame_item.h"

#include <QGraphicsScene>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <set>

#include "editor/comment_item.h"
#include "editor/editor_style.h"
#include "editor/frame_palette.h"
#include "editor/group_item.h"
#include "editor/node_item.h"
#include "editor/overview_text.h"
#include "editor/reroute_item.h"

namespace mg::ui {

namespace {

constexpr double kFrameBand = 30.0; // the title band at 1:1
constexpr double kFramePad = 10.0;  // around the comment
constexpr double kFrameRadius = 8.0;
constexpr double kFrameTitlePx = 14.0;
constexpr double kFrameFarTitlePx = 12.5; // on screen, far out: as large as the nodes' overview titles

} // namespace

FrameItem::FrameItem(const graph::Frame& frame, const EditorStyle* style)
    : AnnotationItem(frame.id, style), band_(kFrameBand) {
  setFrame(frame);
}

void FrameItem::setFrame(const graph::Frame& frame) {
  frame_ = frame;
  setRect(frame.rect);
  // Larger frames behind smaller ones, all behind the edges (-1): a frame inside a frame stays reachable.
  const double area = std::max(1.0, frame.rect.width * frame.rect.height);
  setZValue(-20.0 + 9.0 / (1.0 + area / 1e5));
  setMarkdown(frame.comment);
  setToolTip(QString::fromStdString(frame.title));
  update();
}

std::vector<QGraphicsItem*> FrameItem::passengers() const {
  std::set<QGraphicsItem*> carried;
  std::vector<const QGraphicsItem*> frames{this};
  for (QGraphicsItem* item : scene()->selectedItems())
    if (item->type() == Type && item != this) frames.push_back(item);
  for (const QGraphicsItem* frame : frames) {
    const QRectF area = frame->mapRectToScene(static_cast<const FrameItem*>(frame)->box());
    for (QGraphicsItem* item : scene()->items(area, Qt::ContainsItemShape)) {
      const int type = item->type();
      // A collapsed group moves its nodes by as far as it was dragged (GraphScene::commitMoves).
      const bool movable = type == NodeItem::Type || type == Type || type == CommentItem::Type ||
                           type == RerouteItem::Type ||
                           (type == GroupItem::Type && static_cast<GroupItem*>(item)->isCollapsed());
      // Selected items move with the drag anyway.
      if (movable && item != frame && !item->isSelected()) carried.insert(item);
    }
  }
  return {carried.begin(), carried.end()};
}

void FrameItem::mousePressEvent(QGraphicsSceneMouseEvent* event) {
  AnnotationItem::mousePressEvent(event);
  passengers_.clear();
  if (!isResizing() && event->button() == Qt::LeftButton) passengers_ = passengers();
  lastPos_ = pos();
}

void FrameItem::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
  passengers_.clear();
  AnnotationItem::mouseReleaseEvent(event);
}

QVariant FrameItem::itemChange(GraphicsItemChange change, const QVariant& value) {
  if (change == ItemPositionHasChanged) {
    const QPointF delta = pos() - lastPos_;
    lastPos_ = pos();
    for (QGraphicsItem* item : passengers_)
      item->setPos(item->pos() + delta);
  }
  return AnnotationItem::itemChange(change, value);
}

QPainterPath FrameItem::shape() const {
  QPainterPath path;
  path.addRect(QRectF(0, 0, box().width(), std::min(band_, box().height())));
  path.addRect(QRectF(box().bottomRight() - QPointF(kGrip, kGrip), QSizeF(kGrip, kGrip)));
  return path;
}

void FrameItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  const double zoom = std::max(0.01, painter->worldTransform().m11());
  const bool far = zoom < kDetailZoom; // the title grows, the comment is not drawn
  const bool dark = isDarkCanvas(*style_);
  const QColor colour = frameColour(frame_.colour, *style_);
  painter->setRenderHint(QPainter::Antialiasing);

  QColor fill = colour;
  fill.setAlphaF(dark ? 0.10 : 0.09);
  QColor border = colour;
  border.setAlphaF(dark ? 0.55 : 0.6);
  const bool selected = option->state & QStyle::State_Selected;
  painter->setPen(selected ? QPen(style_->nodeSelected, 2.0) : QPen(border, 1.2));
  painter->setBrush(fill);
  painter->drawRoundedRect(box(), kFrameRadius, kFrameRadius);

  // The title band, taller far out so that the title stays readable on screen.
  const double titlePx = far ? kFrameFarTitlePx / zoom : kFrameTitlePx;
  const double band = std::min(box().height() * 0.5, std::max(kFrameBand, titlePx * 1.5));
  band_ = band;
  QPainterPath top;
  top.addRoundedRect(QRectF(0, 0, box().width(), band + kFrameRadius), kFrameRadius, kFrameRadius);
  QPainterPath clip;
  clip.addRect(QRectF(0, 0, box().width(), band));
  QColor bandFill = colour;
  bandFill.setAlphaF(dark ? 0.32 : 0.22);
  painter->setPen(Qt::NoPen);
  painter->setBrush(bandFill);
  painter->drawPath(top.intersected(clip));

  QFont font = painter->font();
  double pixels = std::min(titlePx, band * 0.75);
  font.setPixelSize(std::max(1, int(pixels)));
  font.setBold(true);
  const QString title = QString::fromStdString(frame_.title);
  const QRectF titleRect(kFramePad, 0, box().width() - 2 * kFramePad, band);
  // A long title shrinks (down to 60%) before it is cut short: far out, a narrow frame's name stays whole.
  const double width = QFontMetricsF(font).horizontalAdvance(title);
  if (width > titleRect.width() && width > 0) {
    pixels = std::max(pixels * 0.6, pixels * titleRect.width() / width);
    font.setPixelSize(std::max(1, int(pixels)));
  }
  painter->setFont(font);
  painter->setPen(style_->titleText);
  painter->drawText(titleRect, Qt::AlignVCenter | Qt::AlignLeft,
                    QFontMetricsF(font).elidedText(title, Qt::ElideRight, titleRect.width()));

  if (!far && !frame_.comment.empty()) {
    const QRectF area = box().adjusted(kFramePad, band + kFramePad * 0.6, -kFramePad, -kFramePad);
    paintText(painter, area.topLeft(), area.width(), area, style_->labelText);
  }
  if (selected || isResizing()) paintGrip(painter, border);
}

} // namespace mg::ui
