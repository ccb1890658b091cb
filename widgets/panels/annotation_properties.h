#pragma once
// The properties page of a frame (title, colour, Markdown comment) or a comment (Markdown text), shown by the
// properties dock when one is selected on the canvas. It reads the document; edits are requested through
// signals, and typing merges into one undo step per field (ProjectSession::editFrame).
#include <QWidget>

#include <optional>

#include "graph/document.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace mg::ui {

class AnnotationProperties : public QWidget {
  Q_OBJECT
public:
  explicit AnnotationProperties(QWidget* parent = nullptr);

  // Shows frame or comment `id` as the document has it now (a field being typed in keeps its cursor);
  // false when there is none.
  bool showAnnotation(const graph::Document& document, graph::AnnotationId id);

Q_SIGNALS:
  void frameEditRequested(const mg::graph::Frame& frame);
  void commentEditRequested(const mg::graph::Comment& comment);

private:
  void textEdited();

  std::optional<graph::Frame> frame_;
  std::optional<graph::Comment> comment_;
  QLabel* heading_;
  QLabel* titleLabel_;
  QLineEdit* title_;
  QLabel* colourLabel_;
  QComboBox* colour_;
  QLabel* textLabel_;
  QPlainTextEdit* text_;
};

} // namespace mg::ui
