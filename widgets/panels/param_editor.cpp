#include "panels/param_editor.h"

#include "i18n/core_text.h"

namespace mg::ui {

ParamEditor::ParamEditor(graph::ParamDef def, QWidget* parent)
    : QWidget(parent), def_(std::move(def)), value_(def_.defaultValue) {
  setObjectName(QStringLiteral("param_") + QString::fromStdString(def_.name));
  setToolTip(coreText(def_.help));
}

void ParamEditor::setValue(const graph::ParamValue& value) {
  const bool typing = hasUncommittedText();
  value_ = value;
  if (!typing) setError({}); // the document's value replaces whatever was wrong
  showValue(typing);
}

void ParamEditor::commitText(const QString& text) {
  graph::ParamValue parsed;
  if (auto error = graph::parseValue(def_, text.trimmed().toStdString(), parsed)) {
    setError(QString::fromStdString(*error));
    return;
  }
  commitValue(std::move(parsed));
}

void ParamEditor::commitValue(graph::ParamValue value) {
  if (auto error = graph::normalizeValue(def_, value)) {
    setError(QString::fromStdString(*error));
    return;
  }
  setError({});
  if (value == value_) return;
  value_ = value;
  Q_EMIT valueEdited(value_);
}

void ParamEditor::setError(const QString& error) {
  if (error == error_) return;
  error_ = error;
  Q_EMIT errorChanged(error_);
}

} // namespace mg::ui
