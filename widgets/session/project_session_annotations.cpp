// ProjectSession: frames, comments and reroute points (graph/annotations.h) as undo steps. Every edit is made
// on a copy of the annotations, put into the document whole, and recorded with the state before it.
#include <QRectF>
#include <QUndoStack>

#include <algorithm>
#include <set>

#include "commands/annotations_command.h"
#include "qt_text.h"
#include "session/edit_group.h"
#include "session/project_session.h"

namespace mg::ui {

namespace {

graph::Rect toRect(QRectF r) {
  return {r.x(), r.y(), r.width(), r.height()};
}

// Puts `after` into the document and records the step (nothing when nothing changed).
void commitAnnotations(graph::Document& document, QUndoStack* stack, graph::Annotations after,
                       std::map<graph::NodeId, NodeMove> moves, const QString& what,
                       const QString& mergeKey) {
  const graph::Annotations before = document.annotations();
  for (auto it = moves.begin(); it != moves.end();)
    it = document.contains(it->first) && it->second.before != it->second.after ? std::next(it)
                                                                               : moves.erase(it);
  if (after == before && moves.empty()) return;
  for (const auto& [id, move] : moves)
    document.move(id, move.after);
  document.setAnnotations(after);
  stack->push(new AnnotationsCommand(document, before, std::move(after), std::move(moves), what, mergeKey));
}

} // namespace

graph::AnnotationId ProjectSession::addFrame(QRectF rect, const QString& title, const QString& colour) {
  graph::Annotations after = document_.annotations();
  const graph::AnnotationId id =
      after.addFrame({0, title.toStdString(), colour.toStdString(), toRect(rect.normalized()), {}});
  commitAnnotations(document_, undoStack_, std::move(after), {}, tr("Add frame"), {});
  return id;
}

graph::AnnotationId ProjectSession::addComment(QRectF rect, const QString& text) {
  graph::Annotations after = document_.annotations();
  const graph::AnnotationId id = after.addComment({0, toRect(rect.normalized()), text.toStdString()});
  commitAnnotations(document_, undoStack_, std::move(after), {}, tr("Add comment"), {});
  return id;
}

QString ProjectSession::editFrame(const graph::Frame& frame) {
  if (!document_.annotations().frame(frame.id)) return tr("there is no frame %1").arg(frame.id);
  graph::Annotations after = document_.annotations();
  after.putFrame(frame);
  commitAnnotations(document_, undoStack_, std::move(after), {}, tr("Edit frame"),
                    QStringLiteral("edit %1").arg(frame.id));
  return {};
}

QString ProjectSession::editComment(const graph::Comment& comment) {
  if (!document_.annotations().comment(comment.id)) return tr("there is no comment %1").arg(comment.id);
  graph::Annotations after = document_.annotations();
  after.putComment(comment);
  commitAnnotations(document_, undoStack_, std::move(after), {}, tr("Edit comment"),
                    QStringLiteral("edit %1").arg(comment.id));
  return {};
}

QString ProjectSession::setReroutes(graph::PortRef input, const std::vector<graph::Point>& points,
                                    const QString& what) {
  if (!document_.contains(input.node) || !document_.source(input)) return tr("that input is not connected");
  graph::Annotations after = document_.annotations();
  after.setReroutes(input, points);
  commitAnnotations(document_, undoStack_, std::move(after), {}, what, {});
  return {};
}

void ProjectSession::moveWithAnnotations(const std::map<graph::NodeId, QPointF>& nodes,
                                         const graph::Annotations& after) {
  std::map<graph::NodeId, NodeMove> moves;
  for (const auto& [id, p] : nodes)
    if (document_.contains(id)) moves[id] = {document_.at(id).position, {p.x(), p.y()}};
  // What moved names the step, so that dragging the same things again merges.
  const graph::Annotations& before = document_.annotations();
  QStringList moved;
  for (const auto& [id, frame] : after.frames())
    if (const auto* old = before.frame(id); old && old->rect != frame.rect)
      moved << QStringLiteral("f%1").arg(id);
  for (const auto& [id, comment] : after.comments())
    if (const auto* old = before.comment(id); old && old->rect != comment.rect)
      moved << QStringLiteral("c%1").arg(id);
  for (const auto& [input, points] : after.reroutes())
    if (before.reroutesOf(input) != points) moved << QStringLiteral("r%1:%2").arg(input.node).arg(input.port);
  for (const auto& [id, move] : moves)
    if (move.before != move.after) moved << QStringLiteral("n%1").arg(id);
  commitAnnotations(document_, undoStack_, after, std::move(moves), tr("Move"),
                    QStringLiteral("move ") + moved.join(QLatin1Char(' ')));
}

QString
ProjectSession::removeSelection(const std::vector<graph::NodeId>& ids,
                                const std::vector<graph::PortRef>& inputs,
                                const std::vector<graph::AnnotationId>& annotations,
                                const std::vector<std::pair<graph::PortRef, std::size_t>>& reroutePoints) {
  graph::Annotations after = document_.annotations();
  for (const graph::AnnotationId id : annotations)
    after.remove(id);
  // Highest index first, so the indices still to go stay valid.
  std::set<std::pair<graph::PortRef, std::size_t>> points(reroutePoints.begin(), reroutePoints.end());
  for (auto it = points.rbegin(); it != points.rend(); ++it) {
    std::vector<graph::Point> kept = after.reroutesOf(it->first);
    if (it->second < kept.size()) kept.erase(kept.begin() + std::ptrdiff_t(it->second));
    after.setReroutes(it->first, std::move(kept));
  }
  const bool annotated = after != document_.annotations();
  if (!annotated) return removeItems(ids, inputs);
  EditGroup group(undoStack_, tr("Delete"));
  commitAnnotations(document_, undoStack_, std::move(after), {}, tr("Delete"), {});
  if (!ids.empty() || !inputs.empty()) removeItems(ids, inputs);
  return {};
}

} // namespace mg::ui
