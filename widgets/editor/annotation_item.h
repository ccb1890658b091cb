#pragma once
// What frames and comments have in common on the canvas: a rectangle that is moved by dragging it and resized
// by its bottom-right corner, and Markdown text rendered inside it (QTextDocument::setMarkdown). Like the
// node items it reads the document and never edits it: the scene commits where it was dragged
// (AnnotationLayer::commitMoves).
#include <QGraphicsItem>
#include <QTextDocument>

#include "graph/annotations.h"

namespace mg::ui {

struct EditorStyle;

class AnnotationItem : public QGraphicsItem {
public:
  static constexpr double kGrip = 14.0; // the resize corner
  static constexpr double kMinWidth = 120.0;
  static constexpr double kMinHeight = 60.0;

  graph::AnnotationId id() const { return id_; }
  // Where it stands now (scene coordinates), a drag or resize included.
  graph::Rect rect() const;
  // Puts it where the document has it (never snapped).
  void setRect(const graph::Rect& rect);
  bool isResizing() const { return resizing_; }
  // The rendered Markdown.
  const QTextDocument* textDocument() const { return &text_; }

  QRectF boundingRect() const override;

protected:
  AnnotationItem(graph::AnnotationId id, const EditorStyle* style);
  void setMarkdown(const std::string& text);
  // The text laid out `width` wide and drawn at `topLeft` in `colour`, clipped to `clip` (item coordinates).
  void paintText(QPainter* painter, QPointF topLeft, double width, const QRectF& clip, const QColor& colour);
  void paintGrip(QPainter* painter, const QColor& colour) const;
  QRectF box() const { return {QPointF(0, 0), size_}; }

  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
  void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
  void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;

  const EditorStyle* style_;

private:
  bool inGrip(QPointF itemPos) const;

  graph::AnnotationId id_;
  QSizeF size_;
  QTextDocument text_;
  std::string markdown_;
  bool placing_ = false; // setRect(): positions from the document are never snapped
  bool resizing_ = false;
  QPointF pressScenePos_;
  QSizeF pressSize_;
};

} // namespace mg::ui
