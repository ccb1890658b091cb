#pragma once
// The base of the editor's undo commands. The session makes each edit through the Document first (which
// checks it and says why it refuses), then pushes a command recording what was done; so the first redo(),
// which QUndoStack::push calls, has nothing to do, and no command duplicates the document's checks.
#include <QUndoCommand>

#include "graph/document.h"

namespace mg::ui {

// Ids of commands that merge with the next one of their kind (QUndoCommand::id()).
enum class CommandId { Move = 1, SetParam, SetInputWeight, SetTitle, Annotations };

class DocumentCommand : public QUndoCommand {
public:
  void redo() final {
    if (applied_) {
      applied_ = false;
      return;
    }
    apply();
  }

protected:
  DocumentCommand(graph::Document& document, const QString& text) : QUndoCommand(text), document_(document) {}
  // Makes the edit again after an undo.
  virtual void apply() = 0;

  graph::Document& document_;

private:
  bool applied_ = true;
};

} // namespace mg::ui
