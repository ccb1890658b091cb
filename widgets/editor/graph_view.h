#pragma once
// The canvas widget: zoom to the cursor with the wheel, pan with the middle button or Space+drag,
// rubber-band selection (Shift or Ctrl adds), fit all / fit selection, and the editing shortcuts. Every
// shortcut is a QAction (shortcuts active while the canvas has focus) so the main window can list them in
// its menus; undo and redo come from the session's QUndoStack.
#include <QGraphicsView>

#include <optional>

#include "graph/node.h"

class QAction;

namespace mg::ui {

class AnnotationActions;
class GraphScene;
class Minimap;
class QuickAddPalette;

class GraphView : public QGraphicsView {
  Q_OBJECT
public:
  explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);

  GraphScene* graphScene() const { return scene_; }
  QuickAddPalette* quickAddPalette() const { return palette_; }
  Minimap* minimap() const { return minimap_; }
  // Frame selection, add comment, and the context menu (frames, comments, reroute points).
  AnnotationActions* annotationActions() const { return annotationActions_; }

  // Edit: delete, cut, copy, paste, duplicate, select all; then align, auto-layout, add node.
  QList<QAction*> editActions() const;
  // View: fit all, fit selection, zoom in, zoom out, snap to grid, minimap.
  QList<QAction*> viewActions() const;
  QAction* deleteAction() const { return delete_; }
  QAction* cutAction() const { return cut_; }
  QAction* copyAction() const { return copy_; }
  QAction* pasteAction() const { return paste_; }
  QAction* duplicateAction() const { return duplicate_; }
  QAction* selectAllAction() const { return selectAll_; }
  QAction* alignLeftAction() const { return alignLeft_; }
  QAction* alignTopAction() const { return alignTop_; }
  QAction* autoLayoutAction() const { return autoLayout_; }
  QAction* addNodeAction() const { return addNode_; }
  QAction* fitAllAction() const { return fitAll_; }
  QAction* fitSelectionAction() const { return fitSelection_; }
  QAction* zoomInAction() const { return zoomIn_; }
  QAction* zoomOutAction() const { return zoomOut_; }
  QAction* snapToGridAction() const { return snap_; }
  QAction* minimapAction() const { return showMinimap_; }
  // Group selection, ungroup, open or collapse, rename, save to the Library.
  QList<QAction*> groupActions() const;
  QAction* groupAction() const { return group_; }
  QAction* ungroupAction() const { return ungroup_; }
  QAction* toggleGroupAction() const { return toggleGroup_; }
  QAction* saveGroupAction() const { return saveGroup_; }

  double zoom() const;

public Q_SLOTS:
  void fitAll();
  void fitSelection();
  void zoomBy(double factor); // about the centre of the view
  void deleteSelection();
  void cutSelection();
  void copySelection();
  void pasteClipboard(); // at the mouse position when it is over the canvas, else at the centre
  void duplicateSelection();
  void alignLeft();
  void alignTop();
  void autoLayout();
  void groupSelection(); // a collapsed group titled "Group N"
  void ungroupSelection();
  void toggleSelectedGroup(); // open a collapsed group, collapse an open one
  void renameSelectedGroup(); // asks for the title
  void saveSelectedGroup();   // to savedGroupsFolder(); groupSaved() follows
  // The quick-add palette at a scene position; the chosen type is added there.
  void openQuickAdd(QPointF scenePos);

Q_SIGNALS:
  void statusMessage(const QString& text);
  void groupSaved(const QString& file);

protected:
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void keyReleaseEvent(QKeyEvent* event) override;
  void focusOutEvent(QFocusEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

private:
  struct PendingEdge {
    graph::PortRef port;
    bool fromOutput = true;
  };

  void createActions();
  QAction* makeAction(const QString& text, const QList<QKeySequence>& keys, void (GraphView::*slot)());
  void fitRect(const QRectF& rect);
  // Zooms keeping the scene point under `viewPos` (viewport coordinates) where it is.
  void zoomAbout(double factor, QPointF viewPos);
  // Qt's item selection knows only Ctrl as "add to the selection": Shift is made to mean the same.
  bool forwardWithShiftAsCtrl(QMouseEvent* event);
  QPointF cursorScenePos() const; // the mouse over the canvas, else the centre of the view
  void onDanglingEdge(graph::PortRef port, bool fromOutput, QPointF scenePos);
  void onTypeChosen(const QString& typeId);
  void showPalette(QPointF scenePos);

  GraphScene* scene_;
  QuickAddPalette* palette_;
  Minimap* minimap_;
  AnnotationActions* annotationActions_ = nullptr;
  QPointF paletteScenePos_;
  std::optional<PendingEdge> pendingEdge_;

  bool panning_ = false;
  QPoint lastPanPos_;
  bool spaceHeld_ = false;
  bool spaceDragged_ = false;

  QAction* delete_ = nullptr;
  QAction* cut_ = nullptr;
  QAction* copy_ = nullptr;
  QAction* paste_ = nullptr;
  QAction* duplicate_ = nullptr;
  QAction* selectAll_ = nullptr;
  QAction* alignLeft_ = nullptr;
  QAction* alignTop_ = nullptr;
  QAction* autoLayout_ = nullptr;
  QAction* addNode_ = nullptr;
  QAction* fitAll_ = nullptr;
  QAction* fitSelection_ = nullptr;
  QAction* zoomIn_ = nullptr;
  QAction* zoomOut_ = nullptr;
  QAction* snap_ = nullptr;
  QAction* showMinimap_ = nullptr;
  QAction* group_ = nullptr;
  QAction* ungroup_ = nullptr;
  QAction* toggleGroup_ = nullptr;
  QAction* renameGroup_ = nullptr;
  QAction* saveGroup_ = nullptr;
};

} // namespace mg::ui
