#pragma once
// Edits a frame (title, colour, Markdown comment) or a comment (Markdown text), with the Markdown rendered
// beside it as it will show on the canvas.
#include <QDialog>

#include "graph/annotations.h"

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QTextBrowser;

namespace mg::ui {

class AnnotationDialog : public QDialog {
  Q_OBJECT
public:
  AnnotationDialog(const graph::Frame& frame, QWidget* parent = nullptr);
  AnnotationDialog(const graph::Comment& comment, QWidget* parent = nullptr);

  graph::Frame frame() const;     // the frame as edited
  graph::Comment comment() const; // the comment as edited

private:
  void build(const QString& text, bool isFrame);

  graph::Frame frame_;
  graph::Comment comment_;
  QLineEdit* title_ = nullptr;
  QComboBox* colour_ = nullptr;
  QPlainTextEdit* text_ = nullptr;
  QTextBrowser* preview_ = nullptr;
};

} // namespace mg::ui
