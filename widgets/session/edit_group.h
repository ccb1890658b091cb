#pragma once
// One undo step made of several recorded edits (a QUndoStack macro for the lifetime of the object);
// nothing is added when none was recorded.
#include <QString>
#include <QUndoStack>

namespace mg::ui {

class EditGroup {
public:
  EditGroup(QUndoStack* stack, const QString& text) : stack_(stack) { stack_->beginMacro(text); }
  ~EditGroup() { stack_->endMacro(); }
  EditGroup(const EditGroup&) = delete;
  EditGroup& operator=(const EditGroup&) = delete;

private:
  QUndoStack* stack_;
};

} // namespace mg::ui
