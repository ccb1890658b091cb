#pragma once
// The editor of one node parameter in the properties panel. It never changes the document: it checks what
// the user entered against the parameter's definition (parseValue / normalizeValue) and either emits the
// normalized value or reports the problem, leaving the user's text in place to fix.
#include <QWidget>

#include "graph/param_def.h"
#include "panels/param_value_metatype.h"

namespace mg::ui {

class ParamEditor : public QWidget {
  Q_OBJECT
public:
  explicit ParamEditor(graph::ParamDef def, QWidget* parent = nullptr);

  const graph::ParamDef& def() const { return def_; }
  // The document's value. Shown at once, except in a text field the user is typing a different value in:
  // a refresh while typing must not take the text (or the cursor) away.
  void setValue(const graph::ParamValue& value);
  const graph::ParamValue& value() const { return value_; }
  const QString& error() const { return error_; }

Q_SIGNALS:
  // A valid value, normalized, different from the document's: the panel asks for it to be applied.
  void valueEdited(const mg::graph::ParamValue& value);
  // The problem with what the user entered, or "" once it is fixed (or replaced by the document's value).
  void errorChanged(const QString& error);

protected:
  // Shows value_ in the control (value_ has just changed).
  virtual void showValue(bool userIsTyping) = 0;
  // Whether the user has entered text not yet committed (only text fields have such a state).
  virtual bool hasUncommittedText() const { return false; }

  // Checks and emits, or sets the error.
  void commitText(const QString& text);
  void commitValue(graph::ParamValue value);
  void setError(const QString& error);

private:
  graph::ParamDef def_;
  graph::ParamValue value_;
  QString error_;
};

} // namespace mg::ui
