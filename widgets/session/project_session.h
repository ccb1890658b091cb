#pragma once
// One open project: the graph document, its undo stack, its file and whether it has unsaved changes.
// Every user edit goes through a method here, which makes the edit through the Document (whose checks say
// why an edit is refused) and records it as one undo step; refusals come back as one line of text (empty
// when done), never as exceptions. Views follow the document through documentSignals() and never edit it
// themselves. After every step (and undo, redo, load) the document is validated: issuesChanged().
#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/node_value.h"
#include "graph/auto_layout.h"
#include "graph/document.h"
#include "graph/validation.h"

class QUndoStack;
class QUndoCommand;

namespace mg::ui {

// A saved group (ProjectSession::saveGroup): the Library lists them; dropped on the canvas they become
// groups.
inline constexpr const char* kGroupExtension = ".mggroup";

class DocumentSignals;

class ProjectSession : public QObject {
  Q_OBJECT
public:
  using ParamMap = std::map<std::string, graph::ParamValue>;

  explicit ProjectSession(QObject* parent = nullptr);
  ~ProjectSession() override;

  const graph::Document& document() const { return document_; }
  DocumentSignals* documentSignals() const { return signals_; }
  QUndoStack* undoStack() const { return undoStack_; }
  const std::vector<graph::Issue>& issues() const { return issues_; }

  // ---- Files
  QString filePath() const { return filePath_; } // empty for a project never saved
  bool isModified() const;
  // Replaces the document with the file's; on error returns the one-line message and keeps the document.
  QString load(const QString& path);
  // Replaces the document with a recovery copy (autosave text) of work that was never saved: the project
  // takes `originalPath` as its file (empty for a project never saved) and counts as modified. On error
  // returns the message and keeps the document.
  QString restore(const QString& recoveryFile, const QString& originalPath);
  QString save(); // to filePath(); an error when there is none
  QString saveAs(const QString& path);
  void newProject(); // an empty, unmodified, unnamed document

  // ---- Nodes. Each call is one undo step; `error` (when given) receives the refusal.
  graph::NodeId addNode(const QString& typeId, QPointF position, const ParamMap& params = {},
                        QString* error = nullptr);
  // A source node for a dropped file or folder (source.model / source.adapter / source.tasks by what
  // io::classifySourcePath says it is), titled after it; unrecognised paths are refused with the reason.
  graph::NodeId addSourceNode(const QString& path, QPointF position, QString* error = nullptr);
  // The same, dropped on node `target`: when `target` takes the source's output (Document::dropTarget), the
  // source is placed to its left and connected to that input, in the same undo step; otherwise it is
  // placed at `position`.
  graph::NodeId dropSource(const QString& path, QPointF position, graph::NodeId target,
                           QString* error = nullptr);
  // Several dropped paths at once, one step: stacked below each other from `position` (or each connected to
  // `target` as dropSource() does). Unrecognised paths are skipped, their reasons added to `errors`.
  std::vector<graph::NodeId> dropSources(const QStringList& paths, QPointF position, graph::NodeId target,
                                         QStringList* errors = nullptr);
  // The source node type a dropped path becomes ("source.adapter", ...), or empty with the reason in
  // `error`. Cheap: names, and for HDF5 one look at the file's root.
  QString sourceTypeFor(const QString& path, QString* error = nullptr) const;
  // Connects output `output` of the existing node `source` to the input of `target` that takes it.
  QString dropOnNode(graph::NodeId target, graph::NodeId source, std::size_t output = 0);
  // A node of `typeId` connected to `port` (an output of another node when `portIsOutput`, else an input),
  // in one step: dropping a dangling edge on the canvas and picking a type in the quick-add palette.
  graph::NodeId addConnectedNode(const QString& typeId, QPointF position, graph::PortRef port,
                                 bool portIsOutput, QString* error = nullptr);
  // Existing nodes (points picked on the embedding map) dropped on `target`: each one's first output joins
  // the input of `target` that takes it (Document::dropTarget; a merge's models group), in one step.
  // Sources already feeding `target` are skipped. On a refusal nothing changes and the reason comes back.
  QString dropNodesOnNode(graph::NodeId target, const std::vector<graph::NodeId>& sources);
  // A new merge (or any node of `typeId`) fed by `sources`, in one step: placed at `position`, or right of
  // the sources when there is none, its "base" wired to the base those sources are used with elsewhere
  // (graph::sharedBaseOf). Returns the new node; kNoNode with `error` set when refused (nothing changes).
  graph::NodeId addNodeFedBy(const QString& typeId, const std::vector<graph::NodeId>& sources,
                             std::optional<QPointF> position = std::nullopt, QString* error = nullptr);
  // Removes the nodes and every edge touching them; variadic inputs they fed close up. One step.
  // A Search node's winner as a merge node beside the one it searched (graph::addSearchWinner), in one
  // step. Refused (kNoNode, `error` set) when the search or its merge changed since it ran.
  graph::NodeId addSearchWinner(const engine::SearchWinnerValue& winner, QString* error = nullptr);
  QString removeNodes(const std::vector<graph::NodeId>& ids);
  // Removes the edges into `inputs` and the nodes `ids` in one step (a mixed selection deleted).
  QString removeItems(const std::vector<graph::NodeId>& ids, const std::vector<graph::PortRef>& inputs);

  // ---- Edges
  QString connectPorts(graph::PortRef from, graph::PortRef to, double weight = 1.0);
  QString disconnectInput(graph::PortRef to);
  // Connects `from` to `to`, first removing the edge a fixed input already has (one step). Why that cannot be
  // done, or empty; checkReplacement() says so without doing it (for greying ports while dragging).
  QString replaceConnection(graph::PortRef from, graph::PortRef to);
  QString checkReplacement(graph::PortRef from, graph::PortRef to) const;
  // Moves the edge into `from` so that it feeds `to` instead (an edge picked up by its input end), or the
  // input of node `target` that takes it. One step; on refusal nothing changes, the undo history included.
  QString reconnectInput(graph::PortRef from, graph::PortRef to);
  QString reconnectToNode(graph::PortRef from, graph::NodeId target);

  // ---- Values. Consecutive edits of the same value merge into one step.
  QString setParam(graph::NodeId node, const std::string& name, const graph::ParamValue& value);
  // The value as typed ("0.5", "true", "0.3, 0.5"), parsed per the parameter's kind.
  QString setParamText(graph::NodeId node, const std::string& name, const QString& text);
  QString setInputWeight(graph::NodeId node, std::size_t input, double weight);
  QString setTitle(graph::NodeId node, const QString& title);

  // ---- Groups (graph/node_groups.h), each one undo step. A new group is collapsed; `id` (when given)
  // receives its id.
  QString groupNodes(const std::vector<graph::NodeId>& ids, const QString& title,
                     graph::GroupId* id = nullptr);
  QString ungroup(graph::GroupId id);
  QString setGroupCollapsed(graph::GroupId id, bool collapsed);
  QString setGroupTitle(graph::GroupId id, const QString& title);
  // A group as a reusable piece (a .mggroup file: its nodes and inner edges as a copy, paths absolute), and
  // one put on the canvas, its corner at `position`, as a new collapsed group (one undo step). dropSource()
  // and addSourceNode() take .mggroup files this way too.
  QString saveGroup(graph::GroupId id, const QString& file) const;
  std::vector<graph::NodeId> insertGroupFile(const QString& file, QPointF position, QString* error = nullptr);

  // ---- Annotations (graph/annotations.h): frames, comments and reroute points, each call one undo step.
  // A frame or a comment over `rect` (scene coordinates); its id.
  graph::AnnotationId addFrame(QRectF rect, const QString& title, const QString& colour);
  graph::AnnotationId addComment(QRectF rect, const QString& text);
  // Replaces one under its id (title, colour, text, rect); consecutive edits of the same one merge (typing).
  QString editFrame(const graph::Frame& frame);
  QString editComment(const graph::Comment& comment);
  // The points the edge into `input` is drawn through, `what` naming the step ("Add reroute point").
  QString setReroutes(graph::PortRef input, const std::vector<graph::Point>& points, const QString& what);
  // The end of a drag that moved frames, comments or reroute points (`after`) and maybe nodes; consecutive
  // drags of the same things merge into one step.
  void moveWithAnnotations(const std::map<graph::NodeId, QPointF>& nodes, const graph::Annotations& after);
  // A mixed selection deleted in one step: frames and comments, reroute points (an edge's input and the
  // point's index), then edges and nodes as removeItems() does.
  QString removeSelection(const std::vector<graph::NodeId>& ids, const std::vector<graph::PortRef>& inputs,
                          const std::vector<graph::AnnotationId>& annotations,
                          const std::vector<std::pair<graph::PortRef, std::size_t>>& reroutePoints);

  // ---- Placement
  // The end of one drag; consecutive drags of the same nodes merge into one step.
  void moveNodes(const std::map<graph::NodeId, QPointF>& positions);
  // A rearrangement (align, distribute) as its own step, never merged.
  void arrangeNodes(const std::map<graph::NodeId, QPointF>& positions, const QString& what);
  // Lays the whole graph out left to right; `sizeOf` gives the on-screen size of a node.
  void autoLayout(const std::function<graph::LayoutSize(graph::NodeId)>& sizeOf = {});

  // ---- Clipboard (text in the graph::kClipboardMimeType format)
  // Frames and comments `annotations` come along; edges keep their reroute points.
  QString copy(const std::vector<graph::NodeId>& ids,
               const std::vector<graph::AnnotationId>& annotations = {}) const;
  // New nodes from copied text with the copy's top-left corner at `position`; their ids.
  std::vector<graph::NodeId> paste(const QString& text, QPointF position, QString* error = nullptr);
  // Copies of the nodes (and edges among them) a little below and right of them; their ids.
  std::vector<graph::NodeId> duplicate(const std::vector<graph::NodeId>& ids, QString* error = nullptr);

Q_SIGNALS:
  void filePathChanged(const QString& path);
  void modifiedChanged(bool modified);
  void issuesChanged(const std::vector<graph::Issue>& issues);

private:
  // Reads a project file into the document (history cleared); the error message, or empty.
  QString replaceDocument(const QString& file);
  void setFilePath(const QString& path);
  // Records an edit already made (see DocumentCommand).
  void record(QUndoCommand* command);
  void revalidate();
  std::vector<graph::NodeId> pasteWithOffset(const std::string& text, graph::Point offset,
                                             const QString& what, QString* error);
  void moveWith(const std::map<graph::NodeId, QPointF>& positions, bool mergeable, const QString& what);
  // Disconnects `from` and connects `source` to `to` (numbered as once `from` is free) as one step, or
  // refuses without touching the document or the undo stack.
  QString moveEdge(graph::PortRef from, graph::PortRef source, graph::PortRef to);
  // Creates a node (not yet recorded); kNoNode with `error` set when refused.
  graph::NodeId createNode(const QString& typeId, QPointF position, const ParamMap& params, QString* error);

  graph::Document document_;
  DocumentSignals* signals_;
  QUndoStack* undoStack_;
  QString filePath_;
  std::vector<graph::Issue> issues_;
};

} // namespace mg::ui

Q_DECLARE_METATYPE(std::vector<mg::graph::Issue>)
