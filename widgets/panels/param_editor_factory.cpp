#include "panels/param_editor_factory.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>

#include <climits>
#include <cmath>

namespace mg::ui {

namespace {

constexpr int kEditorDigits = 6;

QHBoxLayout* bareLayout(QWidget* owner) {
  auto* layout = new QHBoxLayout(owner);
  layout->setContentsMargins(0, 0, 0, 0);
  return layout;
}

class BoolEditor final : public ParamEditor {
public:
  BoolEditor(const graph::ParamDef& def, QWidget* parent) : ParamEditor(def, parent) {
    box_ = new QCheckBox(this);
    box_->setObjectName(objectName() + QStringLiteral("_input"));
    setFocusProxy(box_);
    bareLayout(this)->addWidget(box_);
    connect(box_, &QCheckBox::clicked, this, [this](bool on) { commitValue(on); });
    showValue(false);
  }

protected:
  void showValue(bool) override { box_->setChecked(value().is_boolean() && value().get<bool>()); }

private:
  QCheckBox* box_;
};

class IntEditor final : public ParamEditor {
public:
  IntEditor(const graph::ParamDef& def, QWidget* parent) : ParamEditor(def, parent) {
    spin_ = new QSpinBox(this);
    spin_->setObjectName(objectName() + QStringLiteral("_input"));
    setFocusProxy(spin_);
    spin_->setRange(bound(def.min, def.minInclusive, +1, INT_MIN),
                    bound(def.max, def.maxInclusive, -1, INT_MAX));
    // Typed digits commit on Enter or leaving the box; each arrow step commits at once. Consecutive edits of
    // one parameter merge into one undo step on the canvas's side.
    spin_->setKeyboardTracking(false);
    spin_->setAccelerated(true);
    bareLayout(this)->addWidget(spin_);
    connect(spin_, &QSpinBox::valueChanged, this, [this](int v) { commitValue(v); });
    showValue(false);
  }

protected:
  void showValue(bool) override {
    if (!value().is_number()) return;
    const QSignalBlocker blocker(spin_);
    spin_->setValue(int(std::clamp<double>(value().get<double>(), spin_->minimum(), spin_->maximum())));
  }

private:
  // The spin box's end of a range: an exclusive bound steps one inside; no bound is int's limit.
  static int bound(std::optional<double> limit, bool inclusive, int inward, int fallback) {
    if (!limit) return fallback;
    const double v = inward > 0 ? std::ceil(*limit) : std::floor(*limit);
    const double inside = (inclusive || v != *limit) ? v : v + inward;
    return int(std::clamp<double>(inside, INT_MIN, INT_MAX));
  }

  QSpinBox* spin_;
};

// Real, RealList and Text: the user's text is committed on Enter or when the field loses focus.
class TextFieldEditor : public ParamEditor {
public:
  TextFieldEditor(const graph::ParamDef& def, QWidget* parent) : ParamEditor(def, parent) {
    edit_ = new QLineEdit(this);
    edit_->setObjectName(objectName() + QStringLiteral("_input"));
    setFocusProxy(edit_);
    const QString range = QString::fromStdString(def.rangeText());
    if (def.kind == graph::ParamKind::RealList)
      edit_->setPlaceholderText(ParamEditor::tr("one value, or one per input: 0.3, 0.5"));
    else if (!range.isEmpty())
      edit_->setPlaceholderText(range);
    bareLayout(this)->addWidget(edit_, 1);
    connect(edit_, &QLineEdit::editingFinished, this, &TextFieldEditor::commitEdit);
    showValue(false);
  }

protected:
  void showValue(bool userIsTyping) override {
    if (userIsTyping) return;
    // Numbers as a person writes them ("1/3", not 0.3333333333333333), in the C locale that parseValue
    // reads. Six significant digits, as a spin box shows; the stored value keeps its digits until edited.
    const bool numeric = def().kind == graph::ParamKind::Real || def().kind == graph::ParamKind::RealList;
    const QString text = QString::fromStdString(numeric ? graph::readableValueText(value(), kEditorDigits)
                                                        : graph::valueText(value()));
    if (edit_->text() != text) edit_->setText(text);
  }
  bool hasUncommittedText() const override { return edit_->hasFocus() && edit_->isModified(); }

  void commitEdit() {
    if (!edit_->isModified() && error().isEmpty()) return; // focus left without a change
    edit_->setModified(false);
    commitText(edit_->text());
  }
  QLineEdit* lineEdit() const { return edit_; }

private:
  QLineEdit* edit_;
};

class PathEditor final : public TextFieldEditor {
public:
  PathEditor(const graph::ParamDef& def, QWidget* parent) : TextFieldEditor(def, parent) {
    auto* button = new QPushButton(ParamEditor::tr("Browse…"), this);
    button->setObjectName(objectName() + QStringLiteral("_browse"));
    layout()->addWidget(button);
    connect(button, &QPushButton::clicked, this, [this] { browse(); });
  }

private:
  void browse() {
    const QString current = lineEdit()->text();
    const QString start = current.isEmpty() ? QString() : QFileInfo(current).absolutePath();
    QString chosen;
    switch (def().pathUse) {
    case graph::PathUse::Read:
      chosen = QFileDialog::getOpenFileName(this, ParamEditor::tr("Choose a File"), start);
      break;
    case graph::PathUse::ReadFolder:
      chosen = QFileDialog::getExistingDirectory(this, ParamEditor::tr("Choose a Folder"), start);
      break;
    case graph::PathUse::Write:
      chosen = QFileDialog::getSaveFileName(this, ParamEditor::tr("Save As"), start);
      break;
    }
    if (chosen.isEmpty()) return;
    lineEdit()->setText(chosen);
    commitText(chosen);
  }
};

class ChoiceEditor final : public ParamEditor {
public:
  ChoiceEditor(const graph::ParamDef& def, QWidget* parent) : ParamEditor(def, parent) {
    combo_ = new QComboBox(this);
    combo_->setObjectName(objectName() + QStringLiteral("_input"));
    setFocusProxy(combo_);
    for (const std::string& choice : def.choices)
      combo_->addItem(QString::fromStdString(choice));
    bareLayout(this)->addWidget(combo_, 1);
    connect(combo_, &QComboBox::activated, this,
            [this](int index) { commitValue(combo_->itemText(index).toStdString()); });
    showValue(false);
  }

protected:
  void showValue(bool) override {
    const QSignalBlocker blocker(combo_);
    combo_->setCurrentText(value().is_string() ? QString::fromStdString(value().get<std::string>())
                                               : QString());
  }

private:
  QComboBox* combo_;
};

} // namespace

ParamEditor* createParamEditor(const graph::ParamDef& def, QWidget* parent) {
  switch (def.kind) {
  case graph::ParamKind::Bool: return new BoolEditor(def, parent);
  case graph::ParamKind::Int: return new IntEditor(def, parent);
  case graph::ParamKind::Choice: return new ChoiceEditor(def, parent);
  case graph::ParamKind::Path: return new PathEditor(def, parent);
  case graph::ParamKind::Real:
  case graph::ParamKind::RealList:
  case graph::ParamKind::Text: return new TextFieldEditor(def, parent);
  }
  return new TextFieldEditor(def, parent);
}

} // namespace mg::ui
