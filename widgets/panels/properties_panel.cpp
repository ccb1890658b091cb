#include "panels/properties_panel.h"

#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>

#include "graph/validation.h"
#include "i18n/core_text.h"
#include "panels/annotation_properties.h"
#include "panels/param_editor_factory.h"
#include "theme/theme.h"

namespace mg::ui {

namespace {

constexpr double kWeightLimit = 1.0e6;

// A style sheet rather than a palette: the application's style sheet restores widget palettes it saw when it
// is replaced (a theme switch), which would bring back the previous theme's colour.
void setTextColour(QLabel* label, const QColor& colour) {
  label->setStyleSheet(QStringLiteral("color: %1;").arg(colour.name()));
}

QString helpLine(const graph::ParamDef& def) {
  QString text = coreText(def.help);
  const QString range = QString::fromStdString(def.rangeText());
  if (range.isEmpty() || def.kind == graph::ParamKind::Int) return text; // a spin box shows its range itself
  if (!text.isEmpty()) text += text.endsWith(QLatin1Char('.')) ? QStringLiteral(" ") : QStringLiteral(". ");
  return text + PropertiesPanel::tr("Range %1.").arg(range);
}

} // namespace

PropertiesPanel::PropertiesPanel(QWidget* parent) : QWidget(parent) {
  qRegisterMetaType<graph::ParamValue>();
  setObjectName(QStringLiteral("propertiesPanel"));

  placeholder_ = new QLabel(tr("Select a node to see and edit its properties."), this);
  placeholder_->setObjectName(QStringLiteral("noSelection"));
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setWordWrap(true);
  placeholder_->setForegroundRole(QPalette::PlaceholderText);

  scroll_ = new QScrollArea(this);
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // help text wraps instead

  stack_ = new QStackedWidget(this);
  stack_->addWidget(placeholder_);
  stack_->addWidget(scroll_);
  annotationPage_ = new AnnotationProperties(this);
  stack_->addWidget(annotationPage_);
  connect(annotationPage_, &AnnotationProperties::frameEditRequested, this,
          &PropertiesPanel::frameEditRequested);
  connect(annotationPage_, &AnnotationProperties::commentEditRequested, this,
          &PropertiesPanel::commentEditRequested);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(stack_);
}

PropertiesPanel::~PropertiesPanel() {
  // An editor commits its text when it loses focus, which happens as ~QWidget deletes it; by then this is
  // no longer a PropertiesPanel, and an edit request from a panel being closed is not an edit anyway.
  for (auto& [name, editor] : editors_)
    editor->blockSignals(true);
}

void PropertiesPanel::setDocument(const graph::Document* document) {
  document_ = document;
  node_ = graph::kNoNode;
  builtNode_ = graph::kNoNode;
  refresh();
}

void PropertiesPanel::setNode(graph::NodeId node) {
  node_ = node;
  annotation_ = 0;
  refresh();
}

void PropertiesPanel::setAnnotation(graph::AnnotationId id) {
  node_ = graph::kNoNode;
  annotation_ = id;
  refresh();
}

void PropertiesPanel::showPlaceholder() {
  stack_->setCurrentWidget(placeholder_);
  if (QWidget* old = scroll_->takeWidget()) {
    old->setParent(nullptr); // out of findChild's reach at once; deleted once its signals are done
    old->deleteLater();
  }
  content_ = nullptr;
  builtNode_ = graph::kNoNode;
  builtType_.clear();
  editors_.clear();
  errorLabels_.clear();
  weights_.clear();
  weightSpins_.clear();
  weightWidgets_.clear(); // children of the old content
}

void PropertiesPanel::refresh() {
  if (annotation_ != 0 && document_ && annotationPage_->showAnnotation(*document_, annotation_)) {
    stack_->setCurrentWidget(annotationPage_);
    return;
  }
  const graph::Node* node = document_ && node_ != graph::kNoNode ? document_->node(node_) : nullptr;
  if (!node) {
    showPlaceholder();
    return;
  }
  if (!content_ || builtNode_ != node_ || builtType_ != node->type) build(*node, document_->nodeType(node_));
  updateValues(*node);
  updateIssues();
  stack_->setCurrentWidget(scroll_);
}

QLabel* PropertiesPanel::helpLabel(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setWordWrap(true);
  label->setForegroundRole(QPalette::PlaceholderText); // grey in every theme
  QFont font = label->font();
  font.setPointSizeF(font.pointSizeF() * 0.9);
  label->setFont(font);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

QLabel* PropertiesPanel::sectionLabel(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  QFont font = label->font();
  font.setBold(true);
  label->setFont(font);
  return label;
}

void PropertiesPanel::build(const graph::Node& node, const graph::NodeType* type) {
  showPlaceholder(); // drops the previous node's widgets
  builtNode_ = node.id;
  builtType_ = node.type;
  content_ = new QWidget;
  content_->setObjectName(QStringLiteral("propertiesContent"));
  auto* column = new QVBoxLayout(content_);
  const int margin = style()->pixelMetric(QStyle::PM_LayoutLeftMargin) / 2; // a dock frames it already
  column->setContentsMargins(margin, margin, margin, margin);

  typeTitle_ = new QLabel(type ? coreText(type->title)
                               : tr("Unknown node type “%1”").arg(QString::fromStdString(node.type)),
                          content_);
  typeTitle_->setObjectName(QStringLiteral("nodeTypeTitle"));
  QFont titleFont = typeTitle_->font();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
  typeTitle_->setFont(titleFont);
  typeTitle_->setToolTip(QString::fromStdString(node.type));
  typeHelp_ = helpLabel(type ? coreText(type->help)
                             : tr("This version of Merganser does not know this type: the node is kept as it "
                                  "is and its parameters cannot be edited."),
                        content_);
  typeHelp_->setObjectName(QStringLiteral("nodeTypeHelp"));
  column->addWidget(typeTitle_);
  column->addWidget(typeHelp_);

  form_ = new QGridLayout;
  form_->setColumnStretch(1, 1);
  form_->setVerticalSpacing(style()->pixelMetric(QStyle::PM_LayoutVerticalSpacing) / 2);
  titleEdit_ = new QLineEdit(content_);
  titleEdit_->setObjectName(QStringLiteral("titleEdit"));
  titleEdit_->setToolTip(tr("The name shown on the node"));
  // Edits name the node the widgets were built for: a field that loses focus because another node is being
  // shown still commits to its own node.
  connect(titleEdit_, &QLineEdit::editingFinished, this,
          [this, edit = titleEdit_, id = builtNode_] { commitTitle(edit, id); });
  auto* titleLabel = new QLabel(tr("Title"), content_);
  titleLabel->setBuddy(titleEdit_);
  form_->addWidget(titleLabel, 0, 0, Qt::AlignRight | Qt::AlignVCenter);
  form_->addWidget(titleEdit_, 0, 1);
  if (type)
    for (const graph::ParamDef& def : type->params)
      addParamRow(def);
  column->addLayout(form_);

  issuesBox_ = new QWidget(content_);
  issuesBox_->setObjectName(QStringLiteral("issueList"));
  issuesLayout_ = new QVBoxLayout(issuesBox_);
  issuesLayout_->setContentsMargins(0, 0, 0, 0);
  column->addWidget(issuesBox_);
  column->addStretch(1);

  scroll_->setWidget(content_);
  buildWeights(weightRows());
}

void PropertiesPanel::addParamRow(const graph::ParamDef& def) {
  const QString name = QString::fromStdString(def.name);
  ParamEditor* editor = createParamEditor(def, content_);
  auto* label = new QLabel(name, content_);
  label->setToolTip(editor->toolTip());
  label->setBuddy(editor); // its focus proxy is the control
  auto* help = helpLabel(helpLine(def), content_);
  help->setObjectName(QStringLiteral("paramHelp_") + name);
  auto* error = new QLabel(content_);
  error->setObjectName(QStringLiteral("paramError_") + name);
  error->setWordWrap(true);
  error->hide();

  int row = form_->rowCount();
  // Air between parameters, so each help line reads as belonging to the editor above it.
  form_->setRowMinimumHeight(row++, style()->pixelMetric(QStyle::PM_LayoutVerticalSpacing));
  form_->addWidget(label, row, 0, Qt::AlignRight | Qt::AlignVCenter);
  form_->addWidget(editor, row, 1);
  form_->addWidget(help, row + 1, 1);
  form_->addWidget(error, row + 2, 1);
  editors_[def.name] = editor;
  errorLabels_[def.name] = error;
  setTextColour(error, errorColor(palette()));

  connect(editor, &ParamEditor::valueEdited, this,
          [this, name, id = builtNode_](const graph::ParamValue& value) {
            Q_EMIT paramEditRequested(id, name, value);
          });
  connect(editor, &ParamEditor::errorChanged, error, [error](const QString& text) {
    error->setText(text);
    error->setVisible(!text.isEmpty());
  });
}

std::vector<PropertiesPanel::WeightRow> PropertiesPanel::weightRows() const {
  std::vector<WeightRow> rows;
  const std::size_t inputs = document_->inputCount(node_);
  for (std::size_t input = 0; input < inputs; ++input)
    if (const auto weight = document_->inputWeight(node_, input))
      rows.push_back({input, QString::fromStdString(document_->inputLabel(node_, input)), *weight});
  return rows;
}

void PropertiesPanel::buildWeights(const std::vector<WeightRow>& rows) {
  // The weight rows live in the parameters' grid, so their labels line up with the parameters'. A grid
  // cannot drop rows: the old widgets go, their empty rows stay behind with no height.
  qDeleteAll(weightWidgets_);
  weightWidgets_.clear();
  weightSpins_.clear();
  weights_ = rows;
  if (rows.empty()) return;

  int r = form_->rowCount();
  form_->setRowMinimumHeight(r++, style()->pixelMetric(QStyle::PM_LayoutVerticalSpacing));
  auto* heading = sectionLabel(tr("Input weights"), content_);
  form_->addWidget(heading, r++, 0, 1, 2);
  weightWidgets_.push_back(heading);
  for (const WeightRow& row : rows) {
    auto* spin = new QDoubleSpinBox(content_);
    spin->setObjectName(QStringLiteral("weight_%1").arg(row.input));
    spin->setRange(-kWeightLimit, kWeightLimit);
    spin->setDecimals(3);
    spin->setSingleStep(0.1);
    // As the parameter spin boxes: arrow steps commit at once (merged into one undo step by the canvas),
    // typed numbers on Enter or leaving the box.
    spin->setKeyboardTracking(false);
    spin->setValue(row.weight);
    spin->setToolTip(tr("The weight of the model on input '%1' in the merge").arg(row.label));
    const std::size_t input = row.input;
    connect(spin, &QDoubleSpinBox::valueChanged, this, [this, input, id = builtNode_](double value) {
      Q_EMIT inputWeightEditRequested(id, input, value);
    });
    auto* label = new QLabel(row.label, content_);
    label->setBuddy(spin);
    form_->addWidget(label, r, 0, Qt::AlignRight | Qt::AlignVCenter);
    form_->addWidget(spin, r++, 1);
    weightWidgets_.push_back(label);
    weightWidgets_.push_back(spin);
    weightSpins_.push_back(spin);
  }
}

void PropertiesPanel::updateValues(const graph::Node& node) {
  const QString title = nodeTitle(*document_, node.id);
  if (titleEdit_->text() != title && !(titleEdit_->hasFocus() && titleEdit_->isModified()))
    titleEdit_->setText(title);
  for (const auto& [name, editor] : editors_) {
    const auto it = node.params.find(name);
    editor->setValue(it != node.params.end() ? it->second : editor->def().defaultValue);
  }
  const auto rows = weightRows();
  if (rows != weights_) {
    buildWeights(rows);
    return;
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    QDoubleSpinBox* spin = weightSpins_[i];
    if (spin->value() == rows[i].weight) continue;
    const QSignalBlocker blocker(spin);
    spin->setValue(rows[i].weight);
  }
  weights_ = rows;
}

void PropertiesPanel::updateIssues() {
  while (QLayoutItem* item = issuesLayout_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  std::vector<graph::Issue> issues;
  for (graph::Issue& issue : graph::validate(*document_))
    if (issue.node == node_) issues.push_back(std::move(issue));
  issuesBox_->setVisible(!issues.empty());
  if (issues.empty()) return;

  issuesLayout_->addWidget(sectionLabel(tr("Problems"), issuesBox_));
  for (const graph::Issue& issue : issues) {
    const bool error = issue.severity == graph::Severity::Error;
    auto* label = new QLabel(issuesBox_);
    label->setObjectName(error ? QStringLiteral("issueError") : QStringLiteral("issueWarning"));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Say it in words too: colour alone does not tell everyone an error from a warning.
    label->setText((error ? tr("Error: %1") : tr("Warning: %1")).arg(issueMessage(issue)));
    setTextColour(label, error ? errorColor(palette()) : warningColor(palette()));
    issuesLayout_->addWidget(label);
  }
}

void PropertiesPanel::colourProblemLabels() {
  for (const auto& [name, label] : errorLabels_)
    setTextColour(label, errorColor(palette()));
  for (QLabel* label : issuesBox_->findChildren<QLabel*>(QStringLiteral("issueWarning")))
    setTextColour(label, warningColor(palette()));
  for (QLabel* label : issuesBox_->findChildren<QLabel*>(QStringLiteral("issueError")))
    setTextColour(label, errorColor(palette()));
}

void PropertiesPanel::commitTitle(QLineEdit* edit, graph::NodeId id) {
  if (!edit->isModified()) return;
  edit->setModified(false);
  const graph::Node* node = document_ ? document_->node(id) : nullptr;
  // Compared with the title as shown: an untouched, translated default title is no rename.
  if (node && edit->text() != nodeTitle(*document_, id)) Q_EMIT titleEditRequested(id, edit->text());
}

void PropertiesPanel::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  // A theme switch: the red and orange that read well on light backgrounds do not on dark ones.
  const bool paletteChanged =
      event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange;
  // Recolour in place: Qt delivers these events while walking every widget, so none may be deleted here.
  if (paletteChanged && content_) colourProblemLabels();
}

} // namespace mg::ui
