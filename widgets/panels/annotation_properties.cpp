#include "panels/annotation_properties.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "editor/editor_style.h"
#include "editor/frame_palette.h"

namespace mg::ui {

AnnotationProperties::AnnotationProperties(QWidget* parent)
    : QWidget(parent), heading_(new QLabel(this)), titleLabel_(new QLabel(tr("Title"), this)),
      title_(new QLineEdit(this)), colourLabel_(new QLabel(tr("Colour"), this)), colour_(new QComboBox(this)),
      textLabel_(new QLabel(this)), text_(new QPlainTextEdit(this)) {
  setObjectName(QStringLiteral("annotationProperties"));
  QFont bold = heading_->font();
  bold.setBold(true);
  bold.setPointSizeF(bold.pointSizeF() * 1.15);
  heading_->setFont(bold);
  title_->setObjectName(QStringLiteral("annotationTitle"));
  colour_->setObjectName(QStringLiteral("annotationColour"));
  text_->setObjectName(QStringLiteral("annotationText"));
  text_->setPlaceholderText(tr("Markdown: **bold**, *italic*, - lists, # headings"));
  // Swatches in the shades of the theme the panel is shown in.
  const EditorStyle style =
      palette().window().color().lightness() < 128 ? EditorStyle::dark() : EditorStyle::light();
  for (const FrameColour& c : frameColours()) {
    QPixmap swatch(14, 14);
    swatch.fill(frameColour(c.key, style));
    colour_->addItem(QIcon(swatch), frameColourName(c.key), QString::fromLatin1(c.key));
  }

  auto* form = new QFormLayout;
  form->addRow(titleLabel_, title_);
  form->addRow(colourLabel_, colour_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(heading_);
  layout->addLayout(form);
  auto* hint = new QLabel(tr("Shown on the canvas as Markdown; double-click the frame or comment to edit "
                             "it with a preview."),
                          this);
  hint->setWordWrap(true);
  hint->setForegroundRole(QPalette::PlaceholderText);
  layout->addWidget(textLabel_);
  layout->addWidget(text_, 1);
  layout->addWidget(hint);

  connect(title_, &QLineEdit::textEdited, this, [this](const QString& text) {
    if (!frame_) return;
    frame_->title = text.toStdString();
    Q_EMIT frameEditRequested(*frame_);
  });
  connect(colour_, &QComboBox::activated, this, [this](int index) {
    if (!frame_) return;
    frame_->colour = colour_->itemData(index).toString().toStdString();
    Q_EMIT frameEditRequested(*frame_);
  });
  connect(text_, &QPlainTextEdit::textChanged, this, &AnnotationProperties::textEdited);
}

void AnnotationProperties::textEdited() {
  const std::string text = text_->toPlainText().toStdString();
  if (frame_) {
    frame_->comment = text;
    Q_EMIT frameEditRequested(*frame_);
  } else if (comment_) {
    comment_->text = text;
    Q_EMIT commentEditRequested(*comment_);
  }
}

bool AnnotationProperties::showAnnotation(const graph::Document& document, graph::AnnotationId id) {
  const graph::Frame* frame = document.annotations().frame(id);
  const graph::Comment* comment = document.annotations().comment(id);
  if (!frame && !comment) return false;
  frame_ = frame ? std::optional<graph::Frame>(*frame) : std::nullopt;
  comment_ = comment ? std::optional<graph::Comment>(*comment) : std::nullopt;
  heading_->setText(frame ? tr("Frame") : tr("Comment"));
  textLabel_->setText(frame ? tr("Comment (Markdown)") : tr("Text (Markdown)"));
  for (QWidget* w : std::initializer_list<QWidget*>{titleLabel_, title_, colourLabel_, colour_})
    w->setVisible(frame != nullptr);
  // Only what differs is set: the field being typed in keeps its cursor.
  const QSignalBlocker blockText(text_);
  const QString text = QString::fromStdString(frame ? frame->comment : comment->text);
  if (text_->toPlainText() != text) text_->setPlainText(text);
  if (frame) {
    const QString title = QString::fromStdString(frame->title);
    if (title_->text() != title) title_->setText(title);
    int index = colour_->findData(QString::fromStdString(frame->colour));
    if (index < 0) { // a name this version does not know: kept, shown as it is
      colour_->addItem(QString::fromStdString(frame->colour), QString::fromStdString(frame->colour));
      index = colour_->count() - 1;
    }
    colour_->setCurrentIndex(index);
  }
  return true;
}

} // namespace mg::ui
