#include "editor/annotation_actions.h"

#include <QAction>
#include <QCursor>
#include <QMenu>

#include "editor/annotation_dialog.h"
#include "editor/annotation_layer.h"
#include "editor/comment_item.h"
#include "editor/edge_item.h"
#include "editor/frame_item.h"
#include "editor/frame_palette.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/group_item.h"
#include "editor/node_item.h"
#include "editor/port_item.h"
#include "editor/reroute_item.h"
#include "session/project_session.h"

namespace mg::ui {

namespace {

constexpr double kFrameMargin = 30.0;     // around the framed nodes
constexpr double kFrameTitleSpace = 40.0; // above them, for the title band
constexpr QSizeF kNewFrameSize{400.0, 260.0};
constexpr QSizeF kNewCommentSize{260.0, 120.0};

} // namespace

AnnotationActions::AnnotationActions(GraphView* view) : QObject(view), view_(view) {
  const auto make = [this](const QString& text, const QKeySequence& key) {
    auto* action = new QAction(text, this);
    action->setShortcut(key);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut); // as the view's own actions
    view_->addAction(action);
    return action;
  };
  frame_ = make(tr("&Frame Selection"), QKeySequence(Qt::CTRL | Qt::Key_J));
  frame_->setObjectName(QStringLiteral("frameSelectionAction"));
  frame_->setToolTip(tr("A titled frame around the selected nodes; dragging it moves them together"));
  connect(frame_, &QAction::triggered, this, [this] { frameSelection(cursorScenePos()); });
  comment_ = make(tr("Add &Comment"), QKeySequence(Qt::SHIFT | Qt::Key_C));
  comment_->setObjectName(QStringLiteral("addCommentAction"));
  connect(comment_, &QAction::triggered, this, [this] { addComment(cursorScenePos()); });
  connect(scene()->annotationLayer(), &AnnotationLayer::editRequested, this, &AnnotationActions::edit);
}

GraphScene* AnnotationActions::scene() const {
  return view_->graphScene();
}

QPointF AnnotationActions::cursorScenePos() const {
  const QPoint local = view_->viewport()->mapFromGlobal(QCursor::pos());
  return view_->mapToScene(view_->viewport()->rect().contains(local) ? local
                                                                     : view_->viewport()->rect().center());
}

graph::AnnotationId AnnotationActions::frameSelection(QPointF scenePos) {
  QRectF around;
  for (const graph::NodeId id : scene()->selectedNodes())
    if (const NodeItem* node = scene()->nodeItem(id); node && node->isVisible())
      around |= node->mapRectToScene(node->shape().boundingRect());
  for (const QGraphicsItem* item : scene()->selectedItems()) // collapsed groups stand for their nodes
    if (item->type() == GroupItem::Type) around |= item->sceneBoundingRect();
  for (const graph::AnnotationId id : scene()->annotationLayer()->selectedAnnotations()) {
    if (const FrameItem* f = scene()->annotationLayer()->frameItem(id)) around |= f->sceneBoundingRect();
    if (const CommentItem* c = scene()->annotationLayer()->commentItem(id)) around |= c->sceneBoundingRect();
  }
  QRectF rect =
      around.isNull()
          ? QRectF(scene()->snapped(scenePos - QPointF(kNewFrameSize.width(), kNewFrameSize.height()) / 2),
                   kNewFrameSize)
          : around.adjusted(-kFrameMargin, -kFrameTitleSpace - kFrameMargin, kFrameMargin, kFrameMargin);
  // On the grid, outwards: the nodes (on the grid too) keep their margins when the frame is dragged.
  rect.setTopLeft(scene()->snapped(rect.topLeft() - QPointF(GraphScene::kGrid, GraphScene::kGrid) / 2));
  rect.setBottomRight(
      scene()->snapped(rect.bottomRight() + QPointF(GraphScene::kGrid, GraphScene::kGrid) / 2));
  const graph::Document& document = scene()->session()->document();
  const QString title = tr("Frame %1").arg(document.annotations().frames().size() + 1);
  const graph::AnnotationId id =
      scene()->session()->addFrame(rect, title, QString::fromLatin1(kDefaultFrameColour));
  scene()->clearSelection();
  scene()->annotationLayer()->select({id});
  return id;
}

graph::AnnotationId AnnotationActions::addComment(QPointF scenePos) {
  const QRectF rect(scene()->snapped(scenePos), kNewCommentSize);
  const graph::AnnotationId id = scene()->session()->addComment(rect, {});
  scene()->clearSelection();
  scene()->annotationLayer()->select({id});
  return id;
}

void AnnotationActions::edit(graph::AnnotationId id) {
  const graph::Annotations& annotations = scene()->session()->document().annotations();
  if (const graph::Frame* frame = annotations.frame(id)) {
    AnnotationDialog dialog(*frame, view_);
    if (dialog.exec() == QDialog::Accepted) scene()->session()->editFrame(dialog.frame());
  } else if (const graph::Comment* comment = annotations.comment(id)) {
    AnnotationDialog dialog(*comment, view_);
    if (dialog.exec() == QDialog::Accepted) scene()->session()->editComment(dialog.comment());
  }
}

void AnnotationActions::fillContextMenu(QMenu* menu, QPointF scenePos) {
  AnnotationLayer* layer = scene()->annotationLayer();
  // What is under the pointer, front first: the first item that offers something decides.
  for (QGraphicsItem* item : scene()->items(scenePos)) {
    const int type = item->type();
    if (type == NodeItem::Type || type == PortItem::Type || type == GroupItem::Type) break;
    if (type == RerouteItem::Type) {
      const auto* dot = static_cast<RerouteItem*>(item);
      const graph::PortRef input = dot->edge()->edge().to;
      const std::size_t index = dot->index();
      menu->addAction(tr("Remove Reroute Point"), this,
                      [layer, input, index] { layer->removeReroutePoint(input, index); });
      menu->addSeparator();
      break;
    }
    if (type == EdgeItem::Type && item->isVisible()) {
      auto* edge = static_cast<EdgeItem*>(item);
      const graph::PortRef input = edge->edge().to;
      menu->addAction(tr("Add Reroute Point"), this, [this, layer, input, scenePos] {
        if (EdgeItem* now = scene()->edgeItem(input)) layer->addReroutePoint(now, scenePos);
      });
      menu->addSeparator();
      break;
    }
    if (type == FrameItem::Type || type == CommentItem::Type) {
      const graph::AnnotationId id = static_cast<AnnotationItem*>(item)->id();
      menu->addAction(type == FrameItem::Type ? tr("Edit Frame…") : tr("Edit Comment…"), this,
                      [this, id] { edit(id); });
      if (type == FrameItem::Type) {
        QMenu* colours = menu->addMenu(tr("Frame Colour"));
        const std::string current = static_cast<FrameItem*>(item)->frame().colour;
        for (const FrameColour& c : frameColours()) {
          QAction* choice = colours->addAction(frameColourName(c.key));
          choice->setCheckable(true);
          choice->setChecked(current == c.key);
          const std::string key = c.key;
          connect(choice, &QAction::triggered, this, [this, id, key] {
            if (const graph::Frame* f = scene()->session()->document().annotations().frame(id)) {
              graph::Frame changed = *f;
              changed.colour = key;
              scene()->session()->editFrame(changed);
            }
          });
        }
      }
      menu->addSeparator();
      break;
    }
  }
  menu->addAction(frame_);
  QAction* comment = menu->addAction(comment_->text(), this, [this, scenePos] { addComment(scenePos); });
  comment->setShortcut(comment_->shortcut());
  menu->addSeparator();
  menu->addActions(view_->editActions());
  menu->addSeparator();
  menu->addActions(view_->groupActions());
}

void AnnotationActions::showContextMenu(QPointF scenePos, const QPoint& globalPos) {
  QMenu menu(view_);
  fillContextMenu(&menu, scenePos);
  menu.exec(globalPos);
}

} // namespace mg::ui
