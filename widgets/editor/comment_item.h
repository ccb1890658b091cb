#pragma once
// A free-standing comment on the canvas (graph::Comment): a note with Markdown text, behind the edges and
// nodes, moved by dragging and resized by its corner.
#include "editor/annotation_item.h"

namespace mg::ui {

class CommentItem : public AnnotationItem {
public:
  enum { Type = UserType + 11 };

  CommentItem(const graph::Comment& comment, const EditorStyle* style);
  int type() const override { return Type; }

  void setComment(const graph::Comment& comment);
  const graph::Comment& comment() const { return comment_; } // as in the document

  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
  graph::Comment comment_;
};

} // namespace mg::ui
