#include "session/project_session.h"

#include "qt_text.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUndoStack>

#include <algorithm>
#include <exception>
#include <optional>
#include <set>

#include "commands/add_nodes_command.h"
#include "commands/annotations_command.h"
#include "commands/connect_command.h"
#include "commands/disconnect_command.h"
#include "commands/move_nodes_command.h"
#include "commands/node_set.h"
#include "commands/remove_nodes_command.h"
#include "commands/set_input_weight_command.h"
#include "commands/set_param_command.h"
#include "commands/group_command.h"
#include "commands/set_title_command.h"
#include "source_names.h"
#include "graph/builtin_node_types.h"
#include "graph/clipboard.h"
#include "graph/project_file.h"
#include "i18n/core_text.h"
#include "io/atomic_file.h"
#include "io/io_error.h"
#include "io/source_classifier.h"
#include "io/stale_temporaries.h"
#include "session/document_signals.h"
#include "session/edit_group.h"

namespace mg::ui {

using graph::NodeId;

namespace {

graph::Point toPoint(QPointF p) {
  return {p.x(), p.y()};
}

// Why `target` refuses one more input of `type` (a drop on the node rather than on one of its inputs).
QString noFurtherInput(const graph::Document& document, NodeId target, graph::PortType type) {
  return ProjectSession::tr("%1 takes no further %2 input")
      .arg(nodeTitle(document, target), QString::fromLatin1(graph::portTypeName(type)));
}

// Where a source dropped on `target`'s input `input` goes: left of the node, about level with the input.
QPointF leftOf(const graph::Node& target, std::size_t input) {
  return {target.position.x - 300.0, target.position.y + 90.0 * double(input) - 40.0};
}

} // namespace

ProjectSession::ProjectSession(QObject* parent)
    : QObject(parent), signals_(new DocumentSignals(this)), undoStack_(new QUndoStack(this)) {
  document_.addObserver(signals_);
  connect(undoStack_, &QUndoStack::cleanChanged, this,
          [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
  // Every step, undo and redo moves the index (merged steps too): the one place to re-validate.
  connect(undoStack_, &QUndoStack::indexChanged, this, &ProjectSession::revalidate);
}

ProjectSession::~ProjectSession() {
  delete undoStack_; // its commands refer to the document
  document_.removeObserver(signals_);
}

bool ProjectSession::isModified() const {
  return !undoStack_->isClean();
}

// ---- Files

QString ProjectSession::replaceDocument(const QString& file) {
  try {
    graph::Document loaded = graph::loadProject(file.toStdString(), document_.registry());
    undoStack_->clear();
    document_ = std::move(loaded); // observers stay and hear documentReset()
  } catch (const std::exception& e) {
    return qs(e.what());
  }
  return {};
}

void ProjectSession::setFilePath(const QString& path) {
  if (filePath_ == path) return;
  filePath_ = path;
  Q_EMIT filePathChanged(filePath_);
}

QString ProjectSession::load(const QString& path) {
  if (QString error = replaceDocument(path); !error.isEmpty()) return error;
  io::removeStaleTemporaries(path.toStdString()); // what a save killed mid-write left beside the project
  undoStack_->setClean();
  setFilePath(path);
  Q_EMIT modifiedChanged(false);
  revalidate();
  return {};
}

QString ProjectSession::restore(const QString& recoveryFile, const QString& originalPath) {
  if (QString error = replaceDocument(recoveryFile); !error.isEmpty()) return error;
  undoStack_->resetClean(); // unsaved work: modified until saved, whatever is undone
  setFilePath(originalPath);
  Q_EMIT modifiedChanged(true);
  revalidate();
  return {};
}

QString ProjectSession::save() {
  if (filePath_.isEmpty()) return tr("the project has no file yet: use Save As");
  return saveAs(filePath_);
}

QString ProjectSession::saveAs(const QString& path) {
  try {
    graph::saveProject(document_, path.toStdString());
  } catch (const std::exception& e) {
    return qs(e.what());
  }
  undoStack_->setClean();
  setFilePath(path);
  return {};
}

void ProjectSession::newProject() {
  undoStack_->clear();
  document_ = graph::Document(document_.registry());
  undoStack_->setClean();
  setFilePath({});
  Q_EMIT modifiedChanged(false);
  revalidate();
}

// ---- Nodes

NodeId ProjectSession::createNode(const QString& typeId, QPointF position, const ParamMap& params,
                                  QString* error) {
  const auto setError = [&](const QString& text) {
    if (error) *error = text;
  };
  const graph::NodeType* type = document_.registry().find(typeId.toStdString());
  if (!type) {
    setError(tr("unknown node type '%1'").arg(typeId));
    return graph::kNoNode;
  }
  const NodeId id = document_.addNode(type->id, toPoint(position));
  for (const auto& [name, value] : params) {
    if (const auto refused = document_.setParam(id, name, value)) {
      document_.removeNode(id); // never recorded: as if it had not been made
      setError(qs(*refused));
      return graph::kNoNode;
    }
  }
  return id;
}

NodeId ProjectSession::addNode(const QString& typeId, QPointF position, const ParamMap& params,
                               QString* error) {
  const NodeId id = createNode(typeId, position, params, error);
  if (id != graph::kNoNode)
    record(new AddNodesCommand(document_, {id}, tr("Add %1").arg(nodeTitle(document_, id))));
  return id;
}

QString ProjectSession::sourceTypeFor(const QString& path, QString* error) const {
  const auto classification = io::classifySourcePath(path.toStdString());
  if (!classification.role) {
    if (error) *error = tr("%1: %2").arg(path, qs(classification.reason));
    return {};
  }
  switch (*classification.role) {
  case io::SourceRole::Model: return QString::fromLatin1(graph::node_types::kSourceModel);
  case io::SourceRole::Adapter: return QString::fromLatin1(graph::node_types::kSourceAdapter);
  case io::SourceRole::Tasks: return QString::fromLatin1(graph::node_types::kSourceTasks);
  }
  return {};
}

NodeId ProjectSession::addSourceNode(const QString& path, QPointF position, QString* error) {
  return dropSource(path, position, graph::kNoNode, error);
}

NodeId ProjectSession::dropSource(const QString& path, QPointF position, NodeId target, QString* error) {
  if (path.endsWith(QLatin1String(kGroupExtension))) {
    const auto ids = insertGroupFile(path, position, error);
    return ids.empty() ? graph::kNoNode : ids.front();
  }
  const QString typeId = sourceTypeFor(path, error);
  if (typeId.isEmpty()) return graph::kNoNode;
  const QFileInfo info(path);
  const QString absolute = info.absoluteFilePath();

  // Where it goes: the input of `target` that takes the source's output, if any.
  std::optional<std::size_t> input;
  if (document_.contains(target)) {
    const auto& outputs = document_.registry().get(typeId.toStdString()).outputs;
    if (!outputs.empty()) input = document_.dropTarget(target, outputs.front().type);
  }
  if (input) position = leftOf(document_.at(target), *input);

  const NodeId id = createNode(typeId, position, {{"path", absolute.toStdString()}}, error);
  if (id == graph::kNoNode) return id;
  document_.setTitle(id, sourceTitle(path, info.isDir()).toStdString());
  const QString title = nodeTitle(document_, id);
  if (!input) {
    record(new AddNodesCommand(document_, {id}, tr("Add %1").arg(title)));
    return id;
  }
  EditGroup group(undoStack_, tr("Drop %1 on %2").arg(title, nodeTitle(document_, target)));
  record(new AddNodesCommand(document_, {id}, tr("Add %1").arg(title)));
  const QString refused = connectPorts({id, 0}, {target, *input});
  if (!refused.isEmpty() && error) *error = refused; // the node stays, unconnected
  return id;
}

std::vector<NodeId> ProjectSession::dropSources(const QStringList& paths, QPointF position, NodeId target,
                                                QStringList* errors) {
  QStringList recognised;
  for (const QString& path : paths) {
    QString error;
    if (!path.endsWith(QLatin1String(kGroupExtension)) && sourceTypeFor(path, &error).isEmpty()) {
      if (errors) *errors << error;
    } else {
      recognised << path;
    }
  }
  std::vector<NodeId> created;
  if (recognised.isEmpty()) return created;
  std::optional<EditGroup> group;
  if (recognised.size() > 1) group.emplace(undoStack_, tr("Drop %n sources", "", int(recognised.size())));
  for (int i = 0; i < recognised.size(); ++i) {
    QString error;
    const NodeId id = dropSource(recognised[i], position + QPointF(0.0, 110.0 * i), target, &error);
    if (id != graph::kNoNode) created.push_back(id);
    if (!error.isEmpty() && errors) *errors << error;
  }
  return created;
}

QString ProjectSession::dropOnNode(NodeId target, NodeId source, std::size_t outputIndex) {
  const graph::PortSpec* output =
      document_.contains(source) ? document_.outputSpec(source, outputIndex) : nullptr;
  if (!output || !document_.contains(target)) return tr("nothing to connect");
  const auto input = document_.dropTarget(target, output->type);
  if (!input) return noFurtherInput(document_, target, output->type);
  return connectPorts({source, outputIndex}, {target, *input});
}

NodeId ProjectSession::addConnectedNode(const QString& typeId, QPointF position, graph::PortRef port,
                                        bool portIsOutput, QString* error) {
  const graph::NodeType* type = document_.registry().find(typeId.toStdString());
  if (!document_.contains(port.node) || !type) {
    if (error) *error = type ? tr("nothing to connect") : tr("unknown node type '%1'").arg(typeId);
    return graph::kNoNode;
  }
  EditGroup group(undoStack_, tr("Add %1").arg(coreText(type->title)));
  const NodeId id = createNode(typeId, position, {}, error);
  if (id == graph::kNoNode) return id;
  record(new AddNodesCommand(document_, {id}, tr("Add %1").arg(nodeTitle(document_, id))));
  QString refused;
  if (portIsOutput) {
    const graph::PortSpec* output = document_.outputSpec(port.node, port.port);
    const auto input = output ? document_.dropTarget(id, output->type) : std::nullopt;
    refused = input ? connectPorts(port, {id, *input}) : tr("the new node has no free input of this type");
  } else {
    refused = tr("the new node has no output this input takes");
    for (std::size_t out = 0; out < document_.outputCount(id); ++out) {
      if (!document_.checkConnection({id, out}, port)) {
        refused = connectPorts({id, out}, port);
        break;
      }
    }
  }
  if (!refused.isEmpty() && error) *error = refused;
  return id;
}

QString ProjectSession::removeItems(const std::vector<NodeId>& ids,
                                    const std::vector<graph::PortRef>& inputs) {
  std::vector<graph::PortRef> edges;
  for (const auto& input : inputs) {
    const auto source = document_.contains(input.node) ? document_.source(input) : std::nullopt;
    const bool goesWithANode = std::find(ids.begin(), ids.end(), input.node) != ids.end() ||
                               (source && std::find(ids.begin(), ids.end(), source->node) != ids.end());
    if (source && !goesWithANode) edges.push_back(input);
  }
  if (edges.empty()) return removeNodes(ids);
  // Highest input first, so that a variadic group closing up does not renumber inputs still to go.
  std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) { return b < a; });
  EditGroup group(undoStack_, tr("Delete"));
  for (const auto& input : edges)
    disconnectInput(input);
  if (!ids.empty()) removeNodes(ids);
  return {};
}

QString ProjectSession::removeNodes(const std::vector<NodeId>& ids) {
  auto removed = removeNodeSet(document_, ids);
  if (removed.empty()) return tr("nothing to delete");
  const QString text = removed.size() == 1 ? tr("Delete %1").arg(nodeTitle(document_, removed.front().node))
                                           : tr("Delete %n nodes", "", int(removed.size()));
  record(new RemoveNodesCommand(document_, std::move(removed), text));
  return {};
}

// ---- Edges

QString ProjectSession::connectPorts(graph::PortRef from, graph::PortRef to, double weight) {
  if (const auto refused = document_.connect(from, to, weight)) return qs(*refused);
  const double stored = document_.inputWeight(to.node, to.port).value_or(weight);
  record(new ConnectCommand(
      document_, {{from, to}, stored},
      tr("Connect %1 to %2").arg(nodeTitle(document_, from.node), nodeTitle(document_, to.node))));
  return {};
}

QString ProjectSession::disconnectInput(graph::PortRef to) {
  const std::optional<double> weight = document_.inputWeight(to.node, to.port);
  const auto removed = document_.contains(to.node) ? document_.disconnect(to) : std::nullopt;
  if (!removed) return tr("that input is not connected");
  graph::EdgeRecord edge = *removed;
  if (weight) edge.weight = *weight;
  record(new DisconnectCommand(document_, edge, tr("Disconnect %1").arg(nodeTitle(document_, to.node))));
  return {};
}

QString ProjectSession::checkReplacement(graph::PortRef from, graph::PortRef to) const {
  const bool occupied = document_.contains(to.node) && document_.source(to).has_value();
  if (!occupied || document_.variadicPosition(to.node, to.port)) {
    // Free, or in a variadic group (whose edges close up when one goes): the document's own rule.
    const auto refused = document_.checkConnection(from, to);
    return refused ? qs(*refused) : QString();
  }
  graph::Document trial = document_; // copies are cheap, and hold no observers
  trial.disconnect(to);
  const auto refused = trial.checkConnection(from, to);
  return refused ? qs(*refused) : QString();
}

QString ProjectSession::replaceConnection(graph::PortRef from, graph::PortRef to) {
  if (QString refused = checkReplacement(from, to); !refused.isEmpty()) return refused;
  if (!document_.source(to)) return connectPorts(from, to);
  if (document_.source(to) == from) return {};
  EditGroup group(undoStack_, tr("Replace connection to %1").arg(nodeTitle(document_, to.node)));
  disconnectInput(to);
  return connectPorts(from, to);
}

QString ProjectSession::reconnectInput(graph::PortRef from, graph::PortRef to) {
  const auto source = document_.contains(from.node) ? document_.source(from) : std::nullopt;
  if (!source) return tr("that input is not connected");
  if (from == to) return {};
  // Within one variadic group, the inputs after `from` move down once it is free.
  if (to.node == from.node && to.port > from.port && document_.variadicPosition(from.node, from.port) &&
      document_.variadicPosition(to.node, to.port))
    --to.port;
  return moveEdge(from, *source, to);
}

QString ProjectSession::reconnectToNode(graph::PortRef from, NodeId target) {
  const auto source = document_.contains(from.node) ? document_.source(from) : std::nullopt;
  if (!source || !document_.contains(target)) return tr("nothing to connect");
  // The input that takes it once `from` is free (that may be `from` itself, or move up in its group).
  graph::Document freed = document_;
  freed.disconnect(from);
  const graph::PortSpec* output = freed.outputSpec(source->node, source->port);
  const auto input = output ? freed.dropTarget(target, output->type) : std::nullopt;
  if (!input) return output ? noFurtherInput(freed, target, output->type) : tr("nothing to connect");
  return moveEdge(from, *source, {target, *input});
}

QString ProjectSession::moveEdge(graph::PortRef from, graph::PortRef source, graph::PortRef to) {
  // Tried on a copy first: undoing a refused attempt would leave its half (the disconnect) to redo.
  graph::Document trial = document_;
  trial.disconnect(from);
  if (const auto refused = trial.connect(source, to)) return qs(*refused);
  EditGroup group(undoStack_, tr("Reconnect"));
  disconnectInput(from);
  return connectPorts(source, to);
}

// ---- Values

QString ProjectSession::setParam(NodeId node, const std::string& name, const graph::ParamValue& value) {
  if (!document_.contains(node)) return tr("no node %1").arg(node);
  const graph::ParamValue* current = document_.param(node, name);
  graph::ParamValue before = current ? *current : graph::ParamValue();
  if (const auto refused = document_.setParam(node, name, value)) return qs(*refused);
  graph::ParamValue after = *document_.param(node, name); // normalized
  if (after == before) return {};
  record(new SetParamCommand(document_, node, name, std::move(before), std::move(after),
                             tr("Set %1 of %2").arg(qs(name), nodeTitle(document_, node))));
  return {};
}

QString ProjectSession::setParamText(NodeId node, const std::string& name, const QString& text) {
  const graph::NodeType* type = document_.contains(node) ? document_.nodeType(node) : nullptr;
  const graph::ParamDef* def = type ? type->param(name) : nullptr;
  if (!def) return tr("no parameter '%1' here").arg(qs(name));
  graph::ParamValue value;
  if (const auto refused = graph::parseValue(*def, text.toStdString(), value)) return qs(*refused);
  return setParam(node, name, value);
}

QString ProjectSession::setInputWeight(NodeId node, std::size_t input, double weight) {
  const auto before = document_.contains(node) ? document_.inputWeight(node, input) : std::nullopt;
  if (!before) return tr("that input has no weight");
  if (const auto refused = document_.setInputWeight(node, input, weight)) return qs(*refused);
  const double after = document_.inputWeight(node, input).value_or(weight);
  if (after == *before) return {};
  record(new SetInputWeightCommand(document_, node, input, *before, after,
                                   tr("Set weight on %1").arg(nodeTitle(document_, node))));
  return {};
}

QString ProjectSession::setTitle(NodeId node, const QString& title) {
  if (!document_.contains(node)) return tr("no node %1").arg(node);
  std::string before = document_.at(node).title;
  std::string after = title.trimmed().toStdString();
  if (after.empty()) return tr("a title cannot be empty");
  if (after == before) return {};
  document_.setTitle(node, after);
  record(new SetTitleCommand(document_, node, std::move(before), std::move(after),
                             tr("Rename %1 to %2").arg(nodeTitle(document_, node), title.trimmed())));
  return {};
}

// ---- Groups

QString ProjectSession::groupNodes(const std::vector<NodeId>& ids, const QString& title, graph::GroupId* id) {
  if (ids.empty()) return tr("select the nodes to group first");
  const QString name = title.trimmed();
  if (name.isEmpty()) return tr("a group needs a title");
  graph::GroupId made = 0;
  try {
    made = document_.addGroup(name.toStdString(), std::set<NodeId>(ids.begin(), ids.end()));
  } catch (const std::invalid_argument& e) {
    return qs(e.what());
  }
  record(new GroupCommand(document_, std::nullopt, *document_.groups().find(made),
                          tr("Group %n node(s)", nullptr, int(ids.size()))));
  if (id) *id = made;
  return {};
}

QString ProjectSession::ungroup(graph::GroupId id) {
  auto removed = document_.removeGroup(id);
  if (!removed) return tr("no group %1").arg(id);
  record(new GroupCommand(document_, std::move(removed), std::nullopt, tr("Ungroup")));
  return {};
}

QString ProjectSession::setGroupCollapsed(graph::GroupId id, bool collapsed) {
  const graph::NodeGroup* group = document_.groups().find(id);
  if (!group) return tr("no group %1").arg(id);
  if (group->collapsed == collapsed) return {};
  graph::NodeGroup before = *group;
  document_.setGroupCollapsed(id, collapsed);
  record(new GroupCommand(document_, std::move(before), *document_.groups().find(id),
                          collapsed ? tr("Collapse group") : tr("Open group")));
  return {};
}

QString ProjectSession::setGroupTitle(graph::GroupId id, const QString& title) {
  const graph::NodeGroup* group = document_.groups().find(id);
  if (!group) return tr("no group %1").arg(id);
  const std::string after = title.trimmed().toStdString();
  if (after.empty()) return tr("a title cannot be empty");
  if (after == group->title) return {};
  graph::NodeGroup before = *group;
  document_.setGroupTitle(id, after);
  record(new GroupCommand(document_, std::move(before), *document_.groups().find(id),
                          tr("Rename group to %1").arg(title.trimmed())));
  return {};
}

QString ProjectSession::saveGroup(graph::GroupId id, const QString& file) const {
  const graph::NodeGroup* group = document_.groups().find(id);
  if (!group) return tr("no group %1").arg(id);
  const std::string text = graph::copyNodes(document_, {group->members.begin(), group->members.end()});
  try {
    io::writeFileAtomically(file.toStdString(), text); // the old file or the new one, never half
  } catch (const io::IoError& e) {
    return tr("%1: cannot write the group (%2)")
        .arg(QDir::toNativeSeparators(file), QString::fromStdString(e.problem()));
  }
  return {};
}

std::vector<NodeId> ProjectSession::insertGroupFile(const QString& file, QPointF position, QString* error) {
  QFile in(file);
  if (!in.open(QIODevice::ReadOnly)) {
    if (error)
      *error = tr("%1: cannot read the group (%2)").arg(QDir::toNativeSeparators(file), in.errorString());
    return {};
  }
  QString problem;
  const auto ids = paste(QString::fromUtf8(in.readAll()), position, &problem);
  if (ids.empty() && error)
    *error = tr("%1: not a saved group (%2)").arg(QDir::toNativeSeparators(file), problem);
  return ids;
}

// ---- Placement

void ProjectSession::moveWith(const std::map<NodeId, QPointF>& positions, bool mergeable,
                              const QString& what) {
  std::map<NodeId, NodeMove> moves;
  for (const auto& [id, position] : positions) {
    if (!document_.contains(id)) continue;
    const graph::Point before = document_.at(id).position;
    const graph::Point after = toPoint(position);
    if (before != after) moves[id] = {before, after};
  }
  if (moves.empty()) return;
  for (const auto& [id, move] : moves)
    document_.move(id, move.after);
  record(new MoveNodesCommand(document_, std::move(moves), mergeable, what));
}

void ProjectSession::moveNodes(const std::map<NodeId, QPointF>& positions) {
  moveWith(positions, true, positions.size() == 1 ? tr("Move node") : tr("Move nodes"));
}

void ProjectSession::arrangeNodes(const std::map<NodeId, QPointF>& positions, const QString& what) {
  moveWith(positions, false, what);
}

void ProjectSession::autoLayout(const std::function<graph::LayoutSize(NodeId)>& sizeOf) {
  graph::LayoutOptions options;
  options.nodeSize = sizeOf;
  // Keep the graph where it was on the canvas: start at its current top-left corner.
  bool first = true;
  for (const auto& [id, node] : document_.nodes()) {
    options.origin.x = first ? node.position.x : std::min(options.origin.x, node.position.x);
    options.origin.y = first ? node.position.y : std::min(options.origin.y, node.position.y);
    first = false;
  }
  std::map<NodeId, QPointF> positions;
  for (const auto& [id, p] : graph::autoLayout(document_, options))
    positions[id] = QPointF(p.x, p.y);
  arrangeNodes(positions, tr("Auto-layout"));
}

// ---- Clipboard

QString ProjectSession::copy(const std::vector<NodeId>& ids,
                             const std::vector<graph::AnnotationId>& annotations) const {
  return qs(graph::copyNodes(document_, ids, annotations));
}

std::vector<NodeId> ProjectSession::paste(const QString& text, QPointF position, QString* error) {
  // Where the copy's corner is: paste it into a scratch document first (which also checks the text).
  const std::string copied = text.toStdString();
  graph::Point corner;
  try {
    graph::Document scratch(document_.registry());
    const auto ids = graph::pasteNodes(scratch, copied, {});
    bool first = true;
    for (const NodeId id : ids) {
      const auto& p = scratch.at(id).position;
      corner.x = first ? p.x : std::min(corner.x, p.x);
      corner.y = first ? p.y : std::min(corner.y, p.y);
      first = false;
    }
    for (const auto& [id, frame] : scratch.annotations().frames()) { // a copy may hold only annotations
      corner.x = first ? frame.rect.x : std::min(corner.x, frame.rect.x);
      corner.y = first ? frame.rect.y : std::min(corner.y, frame.rect.y);
      first = false;
    }
    for (const auto& [id, comment] : scratch.annotations().comments()) {
      corner.x = first ? comment.rect.x : std::min(corner.x, comment.rect.x);
      corner.y = first ? comment.rect.y : std::min(corner.y, comment.rect.y);
      first = false;
    }
  } catch (const std::exception& e) {
    if (error) *error = tr("the clipboard holds no nodes (%1)").arg(qs(e.what()));
    return {};
  }
  return pasteWithOffset(copied, {position.x() - corner.x, position.y() - corner.y}, tr("Paste"), error);
}

std::vector<NodeId> ProjectSession::duplicate(const std::vector<NodeId>& ids, QString* error) {
  return pasteWithOffset(graph::copyNodes(document_, ids), {40.0, 40.0}, tr("Duplicate"), error);
}

std::vector<NodeId> ProjectSession::pasteWithOffset(const std::string& text, graph::Point offset,
                                                    const QString& what, QString* error) {
  std::vector<NodeId> ids;
  const graph::Annotations before = document_.annotations();
  try {
    ids = graph::pasteNodes(document_, text, offset);
  } catch (const std::exception& e) {
    if (error) *error = qs(e.what());
    return {};
  }
  const bool annotated = document_.annotations() != before; // frames, comments, reroute points
  if (ids.empty() && !annotated) {
    if (error) *error = tr("nothing to paste");
    return {};
  }
  EditGroup group(undoStack_, what);
  if (!ids.empty()) record(new AddNodesCommand(document_, ids, what));
  if (annotated) record(new AnnotationsCommand(document_, before, document_.annotations(), {}, what));
  return ids;
}

// ---- Internals

void ProjectSession::record(QUndoCommand* command) {
  undoStack_->push(command);
}

void ProjectSession::revalidate() {
  try {
    issues_ = graph::validate(document_);
  } catch (const std::exception& e) {
    issues_.clear(); // validation must never take the editor down; the engine re-checks before running
  }
  Q_EMIT issuesChanged(issues_);
}

} // namespace mg::ui
