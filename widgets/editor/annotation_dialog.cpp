#include "editor/annotation_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "editor/editor_style.h"
#include "editor/frame_palette.h"

namespace mg::ui {

AnnotationDialog::AnnotationDialog(const graph::Frame& frame, QWidget* parent)
    : QDialog(parent), frame_(frame) {
  setWindowTitle(tr("Edit Frame"));
  build(QString::fromStdString(frame.comment), true);
}

AnnotationDialog::AnnotationDialog(const graph::Comment& comment, QWidget* parent)
    : QDialog(parent), comment_(comment) {
  setWindowTitle(tr("Edit Comment"));
  build(QString::fromStdString(comment.text), false);
}

void AnnotationDialog::build(const QString& text, bool isFrame) {
  auto* layout = new QVBoxLayout(this);
  if (isFrame) {
    auto* form = new QFormLayout;
    title_ = new QLineEdit(QString::fromStdString(frame_.title));
    title_->setObjectName(QStringLiteral("frameTitle"));
    form->addRow(tr("Title:"), title_);
    colour_ = new QComboBox;
    colour_->setObjectName(QStringLiteral("frameColour"));
    // The swatches in the shades of the theme the dialog is shown in.
    const EditorStyle style =
        palette().window().color().lightness() < 128 ? EditorStyle::dark() : EditorStyle::light();
    for (const FrameColour& c : frameColours()) {
      QPixmap swatch(16, 16);
      swatch.fill(frameColour(c.key, style));
      colour_->addItem(QIcon(swatch), frameColourName(c.key), QString::fromLatin1(c.key));
    }
    const int current = colour_->findData(QString::fromStdString(frame_.colour));
    if (current < 0)
      colour_->addItem(QString::fromStdString(frame_.colour), QString::fromStdString(frame_.colour));
    colour_->setCurrentIndex(current < 0 ? colour_->count() - 1 : current);
    form->addRow(tr("Colour:"), colour_);
    layout->addLayout(form);
  }
  auto* panes = new QHBoxLayout;
  text_ = new QPlainTextEdit(text);
  text_->setObjectName(QStringLiteral("annotationText"));
  text_->setPlaceholderText(tr("Markdown: **bold**, *italic*, - lists, # headings, [links](https://…)"));
  preview_ = new QTextBrowser;
  preview_->setOpenExternalLinks(true);
  const auto render = [this] { preview_->setMarkdown(text_->toPlainText()); };
  connect(text_, &QPlainTextEdit::textChanged, this, render);
  render();
  panes->addWidget(text_);
  panes->addWidget(preview_);
  layout->addLayout(panes);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  resize(720, 360);
  (title_ ? static_cast<QWidget*>(title_) : text_)->setFocus();
}

graph::Frame AnnotationDialog::frame() const {
  graph::Frame f = frame_;
  if (title_) f.title = title_->text().toStdString();
  if (colour_) f.colour = colour_->currentData().toString().toStdString();
  f.comment = text_->toPlainText().toStdString();
  return f;
}

graph::Comment AnnotationDialog::comment() const {
  graph::Comment c = comment_;
  c.text = text_->toPlainText().toStdString();
  return c;
}

} // namespace mg::ui
