#include "editor/graph_view.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMimeData>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <set>

#include "editor/annotation_actions.h"
#include "editor/annotation_layer.h"
#include "editor/edge_item.h"
#include "editor/graph_scene.h"
#include "editor/group_item.h"
#include "editor/minimap.h"
#include "editor/node_item.h"
#include "editor/quick_add_palette.h"
#include "graph/clipboard.h"
#include "session/document_signals.h"
#include "session/project_session.h"
#include "session/saved_groups.h"

namespace mg::ui {

using graph::NodeId;

namespace {
constexpr double kMinZoom = 0.15;
constexpr double kMaxZoom = 3.0;
constexpr double kMaxFitZoom = 1.25; // fitting a small graph should not blow it up
} // namespace

GraphView::GraphView(GraphScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent), scene_(scene),
      palette_(new QuickAddPalette(scene->session()->document().registry(), this)),
      minimap_(new Minimap(scene, this)) {
  setObjectName(QStringLiteral("graphView"));
  setFrameShape(QFrame::NoFrame);
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
  setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setResizeAnchor(QGraphicsView::AnchorViewCenter);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setDragMode(QGraphicsView::RubberBandDrag);
  setRubberBandSelectionMode(Qt::IntersectsItemShape);
  setAcceptDrops(true);
  viewport()->setAcceptDrops(true); // drags are delivered to the viewport, which does not inherit it
  setFocusPolicy(Qt::StrongFocus);
  createActions();
  annotationActions_ = new AnnotationActions(this);

  connect(scene_, &GraphScene::statusMessage, this, &GraphView::statusMessage);
  connect(scene_, &GraphScene::danglingEdgeDropped, this, &GraphView::onDanglingEdge);
  connect(palette_, &QuickAddPalette::typeChosen, this, &GraphView::onTypeChosen);
  connect(palette_, &QuickAddPalette::dismissed, this, [this] { pendingEdge_.reset(); });
  centerOn(0, 0);
}

// ---- Actions

QAction* GraphView::makeAction(const QString& text, const QList<QKeySequence>& keys,
                               void (GraphView::*slot)()) {
  auto* action = new QAction(text, this);
  action->setShortcuts(keys);
  // Only while the canvas has focus: Ctrl+C in a line edit of a panel stays a text copy.
  action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  if (slot) connect(action, &QAction::triggered, this, slot);
  addAction(action);
  return action;
}

void GraphView::createActions() {
  delete_ = makeAction(tr("&Delete"), {QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)},
                       &GraphView::deleteSelection);
  cut_ = makeAction(tr("Cu&t"), {QKeySequence::Cut}, &GraphView::cutSelection);
  copy_ = makeAction(tr("&Copy"), {QKeySequence::Copy}, &GraphView::copySelection);
  paste_ = makeAction(tr("&Paste"), {QKeySequence::Paste}, &GraphView::pasteClipboard);
  duplicate_ =
      makeAction(tr("D&uplicate"), {QKeySequence(Qt::CTRL | Qt::Key_D)}, &GraphView::duplicateSelection);
  selectAll_ = makeAction(tr("Select &All"), {QKeySequence::SelectAll}, nullptr);
  connect(selectAll_, &QAction::triggered, this, [this] {
    std::vector<NodeId> all = scene_->session()->document().nodeIds();
    scene_->selectNodes(all);
  });
  alignLeft_ = makeAction(tr("Align &Left"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Left)},
                          &GraphView::alignLeft);
  alignTop_ =
      makeAction(tr("Align &Top"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up)}, &GraphView::alignTop);
  autoLayout_ = makeAction(tr("Auto-&Layout"), {QKeySequence(Qt::CTRL | Qt::Key_L)}, &GraphView::autoLayout);
  // Space opens the palette too, but as a key handled by the view: held down it pans instead.
  addNode_ = makeAction(tr("Add &Node…"), {QKeySequence(Qt::SHIFT | Qt::Key_A)}, nullptr);
  connect(addNode_, &QAction::triggered, this, [this] { openQuickAdd(cursorScenePos()); });
  fitAll_ = makeAction(tr("&Fit All"), {QKeySequence(Qt::Key_F), QKeySequence(Qt::CTRL | Qt::Key_0)},
                       &GraphView::fitAll);
  fitSelection_ =
      makeAction(tr("Fit &Selection"), {QKeySequence(Qt::SHIFT | Qt::Key_F)}, &GraphView::fitSelection);
  zoomIn_ = makeAction(tr("Zoom &In"), {QKeySequence::ZoomIn}, nullptr);
  connect(zoomIn_, &QAction::triggered, this, [this] { zoomBy(1.25); });
  zoomOut_ = makeAction(tr("Zoom &Out"), {QKeySequence::ZoomOut}, nullptr);
  connect(zoomOut_, &QAction::triggered, this, [this] { zoomBy(0.8); });
  snap_ = makeAction(tr("S&nap to Grid"), {}, nullptr);
  snap_->setCheckable(true);
  snap_->setChecked(scene_->snapToGrid());
  connect(snap_, &QAction::toggled, scene_, &GraphScene::setSnapToGrid);
  showMinimap_ = makeAction(tr("&Minimap"), {QKeySequence(Qt::CTRL | Qt::Key_M)}, nullptr);
  showMinimap_->setCheckable(true);
  showMinimap_->setChecked(true);
  connect(showMinimap_, &QAction::toggled, minimap_, &QWidget::setVisible);

  group_ = makeAction(tr("&Group"), {QKeySequence(Qt::CTRL | Qt::Key_G)}, &GraphView::groupSelection);
  ungroup_ = makeAction(tr("U&ngroup"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G)},
                        &GraphView::ungroupSelection);
  toggleGroup_ =
      makeAction(tr("Open or Collapse Group"), {QKeySequence(Qt::Key_Tab)}, &GraphView::toggleSelectedGroup);
  renameGroup_ = makeAction(tr("Rename Group…"), {}, &GraphView::renameSelectedGroup);
  saveGroup_ = makeAction(tr("Save Group to Library"), {}, &GraphView::saveSelectedGroup);

  const auto updateEnabled = [this] {
    const bool any = !scene_->selectedNodes().empty();
    const bool anyItem = any || !scene_->selectedItems().isEmpty(); // edges, frames, reroute points too
    const bool copied = any || !scene_->annotationLayer()->selectedAnnotations().empty();
    delete_->setEnabled(anyItem);
    cut_->setEnabled(copied);
    copy_->setEnabled(copied);
    duplicate_->setEnabled(any);
    fitSelection_->setEnabled(any);
    const bool several = scene_->selectedNodes().size() > 1;
    alignLeft_->setEnabled(several);
    alignTop_->setEnabled(several);
    const bool inGroup = scene_->selectedGroup().has_value();
    group_->setEnabled(any);
    for (QAction* action : {ungroup_, toggleGroup_, renameGroup_, saveGroup_})
      action->setEnabled(inGroup);
  };
  connect(scene_, &QGraphicsScene::selectionChanged, this, updateEnabled);
  connect(scene_->session()->documentSignals(), &DocumentSignals::groupsWereChanged, this, updateEnabled);
  updateEnabled();
}

QList<QAction*> GraphView::editActions() const {
  return {delete_, cut_, copy_, paste_, duplicate_, selectAll_, alignLeft_, alignTop_, autoLayout_, addNode_};
}

QList<QAction*> GraphView::groupActions() const {
  return {group_, ungroup_, toggleGroup_, renameGroup_, saveGroup_};
}

QList<QAction*> GraphView::viewActions() const {
  return {fitAll_, fitSelection_, zoomIn_, zoomOut_, snap_};
}

// ---- Zoom and fit

double GraphView::zoom() const {
  return transform().m11();
}

void GraphView::zoomBy(double factor) {
  zoomAbout(factor, QRectF(viewport()->rect()).center());
}

void GraphView::zoomAbout(double factor, QPointF viewPos) {
  const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
  const double applied = target / zoom();
  // Anchored by hand rather than AnchorUnderMouse: the wheel event says where the mouse is, the
  // cursor position Qt would use may lag behind it (and does not exist off-screen).
  const QPointF anchor = mapToScene(viewPos.toPoint());
  const auto previous = transformationAnchor();
  setTransformationAnchor(QGraphicsView::NoAnchor);
  scale(applied, applied);
  setTransformationAnchor(previous);
  const QPointF drift = mapFromScene(anchor) - viewPos;
  horizontalScrollBar()->setValue(horizontalScrollBar()->value() + int(std::round(drift.x())));
  verticalScrollBar()->setValue(verticalScrollBar()->value() + int(std::round(drift.y())));
  minimap_->placeInCorner();
}

void GraphView::fitRect(const QRectF& rect) {
  if (rect.isEmpty()) {
    resetTransform();
    centerOn(0, 0);
    return;
  }
  fitInView(rect.adjusted(-40, -40, 40, 40), Qt::KeepAspectRatio);
  if (zoom() > kMaxFitZoom) {
    const double back = kMaxFitZoom / zoom();
    scale(back, back);
  } else if (zoom() < kMinZoom) {
    const double up = kMinZoom / zoom();
    scale(up, up);
  }
  centerOn(rect.center());
  minimap_->placeInCorner();
}

void GraphView::fitAll() {
  QRectF rect;
  for (const NodeId id : scene_->session()->document().nodeIds())
    if (const NodeItem* item = scene_->nodeItem(id)) rect |= item->sceneBoundingRect();
  rect |= scene_->annotationLayer()->boundingRect(); // frames and comments
  fitRect(rect);
}

void GraphView::fitSelection() {
  QRectF rect;
  for (const NodeId id : scene_->selectedNodes())
    rect |= scene_->nodeItem(id)->sceneBoundingRect();
  if (rect.isEmpty()) return fitAll();
  fitRect(rect);
}

QPointF GraphView::cursorScenePos() const {
  const QPoint local = viewport()->mapFromGlobal(QCursor::pos());
  if (viewport()->rect().contains(local)) return mapToScene(local);
  return mapToScene(viewport()->rect().center());
}

// ---- Editing

void GraphView::deleteSelection() {
  const AnnotationLayer* layer = scene_->annotationLayer();
  const QString refused =
      scene_->session()->removeSelection(scene_->selectedNodes(), scene_->selectedEdges(),
                                         layer->selectedAnnotations(), layer->selectedReroutePoints());
  if (!refused.isEmpty()) Q_EMIT statusMessage(refused);
}

void GraphView::copySelection() {
  const auto ids = scene_->selectedNodes();
  const auto annotations = scene_->annotationLayer()->selectedAnnotations();
  if (ids.empty() && annotations.empty()) return;
  const QString text = scene_->session()->copy(ids, annotations);
  auto* data = new QMimeData;
  data->setData(QString::fromLatin1(graph::kClipboardMimeType), text.toUtf8());
  data->setText(text); // pasting into another Merganser or a text editor both work
  QApplication::clipboard()->setMimeData(data);
}

void GraphView::cutSelection() {
  copySelection();
  deleteSelection();
}

void GraphView::pasteClipboard() {
  const QMimeData* data = QApplication::clipboard()->mimeData();
  if (!data) return;
  const QString format = QString::fromLatin1(graph::kClipboardMimeType);
  const QString text = data->hasFormat(format) ? QString::fromUtf8(data->data(format)) : data->text();
  if (text.isEmpty()) return;
  QString error;
  const auto ids = scene_->session()->paste(text, scene_->snapped(cursorScenePos()), &error);
  if (ids.empty()) {
    Q_EMIT statusMessage(error);
    return;
  }
  scene_->selectNodes(ids);
}

void GraphView::duplicateSelection() {
  QString error;
  const auto ids = scene_->session()->duplicate(scene_->selectedNodes(), &error);
  if (ids.empty()) {
    if (!error.isEmpty()) Q_EMIT statusMessage(error);
    return;
  }
  scene_->selectNodes(ids);
}

// ---- Groups

void GraphView::groupSelection() {
  const auto ids = scene_->selectedNodes();
  const graph::Document& document = scene_->session()->document();
  const QString title = tr("Group %1").arg(document.groups().nextId());
  graph::GroupId id = 0;
  if (const QString error = scene_->session()->groupNodes(ids, title, &id); !error.isEmpty()) {
    Q_EMIT statusMessage(error);
    return;
  }
  if (GroupItem* item = scene_->groupItem(id)) {
    scene_->clearSelection();
    item->setSelected(true);
  }
}

void GraphView::ungroupSelection() {
  if (const auto id = scene_->selectedGroup()) {
    const std::set<NodeId> members = scene_->session()->document().groups().find(*id)->members;
    scene_->session()->ungroup(*id);
    scene_->selectNodes({members.begin(), members.end()});
  }
}

void GraphView::toggleSelectedGroup() {
  if (const auto id = scene_->selectedGroup()) {
    const bool collapsed = scene_->session()->document().groups().find(*id)->collapsed;
    scene_->session()->setGroupCollapsed(*id, !collapsed);
  }
}

void GraphView::renameSelectedGroup() {
  const auto id = scene_->selectedGroup();
  if (!id) return;
  bool ok = false;
  const QString title = QInputDialog::getText(
      this, tr("Rename Group"), tr("Title:"), QLineEdit::Normal,
      QString::fromStdString(scene_->session()->document().groups().find(*id)->title), &ok);
  if (!ok) return;
  if (const QString error = scene_->session()->setGroupTitle(*id, title); !error.isEmpty())
    Q_EMIT statusMessage(error);
}

void GraphView::saveSelectedGroup() {
  const auto id = scene_->selectedGroup();
  if (!id) return;
  const QString title = QString::fromStdString(scene_->session()->document().groups().find(*id)->title);
  const QString file = savedGroupFile(title);
  QDir().mkpath(QFileInfo(file).absolutePath());
  if (const QString error = scene_->session()->saveGroup(*id, file); !error.isEmpty()) {
    Q_EMIT statusMessage(error);
    return;
  }
  Q_EMIT statusMessage(tr("Saved the group %1 to the Library").arg(title));
  Q_EMIT groupSaved(file);
}

void GraphView::alignLeft() {
  const auto ids = scene_->selectedNodes();
  if (ids.size() < 2) return;
  double left = std::numeric_limits<double>::max();
  for (const NodeId id : ids)
    left = std::min(left, scene_->nodeItem(id)->pos().x());
  std::map<NodeId, QPointF> positions;
  for (const NodeId id : ids)
    positions[id] = QPointF(left, scene_->nodeItem(id)->pos().y());
  scene_->session()->arrangeNodes(positions, tr("Align left"));
}

void GraphView::alignTop() {
  const auto ids = scene_->selectedNodes();
  if (ids.size() < 2) return;
  double top = std::numeric_limits<double>::max();
  for (const NodeId id : ids)
    top = std::min(top, scene_->nodeItem(id)->pos().y());
  std::map<NodeId, QPointF> positions;
  for (const NodeId id : ids)
    positions[id] = QPointF(scene_->nodeItem(id)->pos().x(), top);
  scene_->session()->arrangeNodes(positions, tr("Align top"));
}

void GraphView::autoLayout() {
  scene_->session()->autoLayout([this](NodeId id) { return scene_->nodeSize(id); });
  fitAll();
}

// ---- Quick-add palette

void GraphView::showPalette(QPointF scenePos) {
  paletteScenePos_ = scenePos;
  const QPoint at = viewport()->mapTo(this, mapFromScene(scenePos));
  graph::PortType type = graph::PortType::Model;
  QuickAddPalette::TypeFilter offered;
  if (pendingEdge_) {
    const graph::Document& document = scene_->session()->document();
    const auto* spec = pendingEdge_->fromOutput
                           ? document.outputSpec(pendingEdge_->port.node, pendingEdge_->port.port)
                           : document.inputSpec(pendingEdge_->port.node, pendingEdge_->port.port);
    if (spec) type = spec->type;
    const bool fromOutput = pendingEdge_->fromOutput;
    offered = [type, fromOutput](const graph::NodeType& t) {
      const auto& ports = fromOutput ? t.inputs : t.outputs;
      return std::any_of(ports.begin(), ports.end(), [&](const graph::PortSpec& p) {
        return fromOutput ? graph::canConnect(type, p.type) : graph::canConnect(p.type, type);
      });
    };
  }
  palette_->popup(at, offered);
}

void GraphView::openQuickAdd(QPointF scenePos) {
  pendingEdge_.reset();
  showPalette(scenePos);
}

void GraphView::onDanglingEdge(graph::PortRef port, bool fromOutput, QPointF scenePos) {
  pendingEdge_ = PendingEdge{port, fromOutput};
  showPalette(scenePos);
}

void GraphView::onTypeChosen(const QString& typeId) {
  QString error;
  NodeId id = graph::kNoNode;
  if (pendingEdge_) {
    // The new node's port lands at the point where the edge was let go.
    const QPointF origin = pendingEdge_->fromOutput ? paletteScenePos_ - QPointF(0.0, 40.0)
                                                    : paletteScenePos_ - QPointF(NodeItem::kWidth, 40.0);
    const PendingEdge pending = *pendingEdge_;
    pendingEdge_.reset();
    id = scene_->session()->addConnectedNode(typeId, scene_->snapped(origin), pending.port,
                                             pending.fromOutput, &error);
  } else {
    const QPointF origin = paletteScenePos_ - QPointF(NodeItem::kWidth / 2.0, 16.0);
    id = scene_->session()->addNode(typeId, scene_->snapped(origin), {}, &error);
  }
  if (!error.isEmpty()) Q_EMIT statusMessage(error);
  if (id != graph::kNoNode) scene_->selectNodes({id});
  setFocus();
}

// ---- Mouse and keys

void GraphView::wheelEvent(QWheelEvent* event) {
  const double steps = event->angleDelta().y();
  if (steps == 0) return QGraphicsView::wheelEvent(event);
  zoomAbout(std::pow(1.0015, steps), event->position());
  event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event) {
  if (palette_->isVisible()) palette_->hide(), pendingEdge_.reset();
  const bool panButton =
      event->button() == Qt::MiddleButton || (spaceHeld_ && event->button() == Qt::LeftButton);
  if (panButton) {
    panning_ = true;
    spaceDragged_ = true;
    lastPanPos_ = event->position().toPoint();
    viewport()->setCursor(Qt::ClosedHandCursor);
    event->accept();
    return;
  }
  if (!forwardWithShiftAsCtrl(event)) QGraphicsView::mousePressEvent(event);
}

bool GraphView::forwardWithShiftAsCtrl(QMouseEvent* event) {
  if (!(event->modifiers() & Qt::ShiftModifier)) return false;
  QMouseEvent extended(event->type(), event->position(), event->scenePosition(), event->globalPosition(),
                       event->button(), event->buttons(),
                       (event->modifiers() & ~Qt::ShiftModifier) | Qt::ControlModifier);
  switch (event->type()) {
  case QEvent::MouseButtonPress: QGraphicsView::mousePressEvent(&extended); break;
  case QEvent::MouseMove: QGraphicsView::mouseMoveEvent(&extended); break;
  case QEvent::MouseButtonRelease: QGraphicsView::mouseReleaseEvent(&extended); break;
  default: return false;
  }
  event->setAccepted(extended.isAccepted());
  return true;
}

void GraphView::mouseMoveEvent(QMouseEvent* event) {
  if (panning_) {
    const QPoint delta = event->position().toPoint() - lastPanPos_;
    lastPanPos_ = event->position().toPoint();
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
    verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
    event->accept();
    return;
  }
  if (!forwardWithShiftAsCtrl(event)) QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
  if (panning_ && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
    panning_ = false;
    viewport()->setCursor(spaceHeld_ ? Qt::OpenHandCursor : Qt::ArrowCursor);
    event->accept();
    return;
  }
  if (!forwardWithShiftAsCtrl(event)) QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && !itemAt(event->position().toPoint())) {
    openQuickAdd(mapToScene(event->position().toPoint()));
    event->accept();
    return;
  }
  QGraphicsView::mouseDoubleClickEvent(event);
}

void GraphView::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space) {
    if (!event->isAutoRepeat()) {
      spaceHeld_ = true;
      spaceDragged_ = false;
      viewport()->setCursor(Qt::OpenHandCursor);
    }
    event->accept();
    return;
  }
  if (event->key() == Qt::Key_Escape && scene_->isDraggingEdge()) {
    scene_->cancelEdgeDrag();
    event->accept();
    return;
  }
  QGraphicsView::keyPressEvent(event);
}

void GraphView::keyReleaseEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space) {
    if (!event->isAutoRepeat() && spaceHeld_) {
      spaceHeld_ = false;
      viewport()->setCursor(Qt::ArrowCursor);
      if (!spaceDragged_) openQuickAdd(cursorScenePos()); // a tap, not a pan
    }
    event->accept();
    return;
  }
  QGraphicsView::keyReleaseEvent(event);
}

void GraphView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  minimap_->placeInCorner();
}

void GraphView::contextMenuEvent(QContextMenuEvent* event) {
  annotationActions_->showContextMenu(mapToScene(event->pos()), event->globalPos());
  event->accept();
}

void GraphView::focusOutEvent(QFocusEvent* event) {
  spaceHeld_ = false; // the release may never come
  QGraphicsView::focusOutEvent(event);
}

} // namespace mg::ui
