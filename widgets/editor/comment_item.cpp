#include "editor/comment_item.h"

#include <QCoreApplication>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QTextBlock>

#include <algorithm>

#include "editor/editor_style.h"
#include "editor/frame_palette.h"
#include "editor/overview_text.h"

namespace mg::ui {

namespace {
constexpr double kCommentPad = 10.0;
constexpr double kCommentFarTitlePx = 12.0; // on screen
} // namespace

CommentItem::CommentItem(const graph::Comment& comment, const EditorStyle* style)
    : AnnotationItem(comment.id, style) {
  setZValue(-2); // above frames, behind edges and nodes
  setComment(comment);
}

void CommentItem::setComment(const graph::Comment& comment) {
  comment_ = comment;
  setRect(comment.rect);
  setMarkdown(comment.text);
  update();
}

void CommentItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
  const bool dark = isDarkCanvas(*style_);
  // A note's paper: warm, a step off the canvas in each theme.
  const QColor paper = dark ? QColor(0x38, 0x36, 0x2b) : QColor(0xff, 0xf7, 0xd6);
  const QColor edge = dark ? QColor(0x5e, 0x58, 0x3e) : QColor(0xe6, 0xd6, 0x8f);
  const bool selected = option->state & QStyle::State_Selected;
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setPen(selected ? QPen(style_->nodeSelected, 2.0) : QPen(edge, 1.0));
  painter->setBrush(paper);
  painter->drawRoundedRect(box(), 6, 6);
  const QRectF area = box().adjusted(kCommentPad, kCommentPad, -kCommentPad, -kCommentPad);
  const double zoom = std::max(0.01, painter->worldTransform().m11());
  if (zoom < kDetailZoom && !comment_.text.empty()) {
    // Far out the text is too small to read: its first line, large, says what the note is about.
    QFont font = painter->font();
    font.setPixelSize(std::max(1, int(kCommentFarTitlePx / zoom)));
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(style_->labelText);
    painter->drawText(area, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, textDocument()->begin().text());
  } else if (comment_.text.empty()) {
    painter->setPen(style_->mutedText);
    painter->drawText(area, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                      QCoreApplication::translate("CommentItem", "Double-click to write a note (Markdown)"));
  } else {
    paintText(painter, area.topLeft(), area.width(), area, style_->labelText);
  }
  if (selected || isResizing()) paintGrip(painter, style_->mutedText);
}

} // namespace mg::ui
