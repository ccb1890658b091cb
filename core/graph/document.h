#pragma once
// The project document: nodes of registered types, edges between their typed ports, parameter values, and
// change notifications. It knows nothing of graphics or execution; the node editor renders it and the engine
// runs it. Every edit keeps these invariants:
//   - an input takes at most one edge, and an edge joins an output to an input whose types canConnect();
//   - the graph has no cycle;
//   - a variadic group's connected inputs are contiguous from its first input, followed by exactly one free
//     input (none once the group holds PortSpec::maxCount); disconnecting one of them renumbers the later
//     ones down, their weights travelling with them;
//   - node ids increase and are never reused.
// Files are read leniently (an edge whose types no longer fit, a node type this build does not know): such
// a document is kept as it is, never silently repaired, and validate() reports what is wrong.
//
// Unknown node types: a node whose type the registry does not know (a file from a newer Merganser or from a
// plug-in not loaded) keeps its parameters, weights and edges exactly and is saved back unchanged; its
// ports are as many as its edges use, it cannot be connected further or edited, and validation reports it.
//
// Not synchronized: the GUI thread owns the document, and the engine runs on a copy (copies are cheap).
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/annotations.h"
#include "graph/document_observer.h"
#include "graph/maybe_error.h"
#include "graph/node.h"
#include "graph/node_groups.h"
#include "graph/node_type_registry.h"

namespace mg::graph {

// Everything removeNode() took away, for restoreNode() to put back.
struct RemovedNode {
  Node node;
  std::vector<EdgeRecord> edges;        // in the order they were removed
  std::optional<GroupMembership> group; // the group it left
};

class Document {
public:
  explicit Document(const NodeTypeRegistry& registry = NodeTypeRegistry::instance());
  // Copies hold the content, never the observers; assignment keeps the target's observers and tells them
  // documentReset().
  Document(const Document& other);
  Document(Document&& other) noexcept;
  Document& operator=(const Document& other);
  Document& operator=(Document&& other) noexcept;
  ~Document();

  const NodeTypeRegistry& registry() const { return *registry_; }

  // ---- Nodes
  // A node of a registered type with default parameters and the type's title. Throws std::invalid_argument
  // for an unknown type (the editor only offers registered ones).
  NodeId addNode(const std::string& typeId, Point position = {});
  // Removes the node and every edge touching it. Inputs it fed on other nodes become free; in a variadic
  // group the later inputs move down to close the gap (keeping their weights), as disconnect() does.
  // Throws std::out_of_range for an unknown id.
  RemovedNode removeNode(NodeId id);
  // Puts back what removeNode() returned, ids, input order and weights included. Undoing several removals
  // in reverse order restores the document exactly. Throws std::invalid_argument if the id is in use.
  void restoreNode(const RemovedNode& removed);
  // Adds a node with its own id (loading, pasting). Parameters missing for its type get their defaults;
  // `weights` must be empty for a known type (they come back with the edges, restoreEdge()). Throws
  // std::invalid_argument for id 0, an id in use, or weights on a known type.
  void insertNode(Node node);

  bool contains(NodeId id) const { return nodes_.count(id) != 0; }
  const Node* node(NodeId id) const; // nullptr when there is none
  const Node& at(NodeId id) const;   // throws std::out_of_range ("no node 7")
  const std::map<NodeId, Node>& nodes() const { return nodes_; }
  std::vector<NodeId> nodeIds() const;       // ascending
  const NodeType* nodeType(NodeId id) const; // nullptr for an unknown id or a type the registry lacks
  NodeId nextId() const { return nextId_; }
  void reserveIds(NodeId next); // ids below `next` are never handed out (a file's saved counter)

  // ---- Ports. Inputs: the type's fixed inputs in order, then its variadic group (connected + 1 free).
  std::size_t inputCount(NodeId id) const;
  std::size_t outputCount(NodeId id) const;
  // The spec an input or output index falls in; nullptr when out of range or the type is unknown.
  const PortSpec* inputSpec(NodeId id, std::size_t input) const;
  const PortSpec* outputSpec(NodeId id, std::size_t output) const;
  // "base", "models 2" (1-based within a group), "input 3" for an unknown type.
  std::string inputLabel(NodeId id, std::size_t input) const;
  // Whether `input` belongs to the variadic group, and its position there.
  std::optional<std::size_t> variadicPosition(NodeId id, std::size_t input) const;
  // Connected inputs of the variadic group (0 when the type has none).
  std::size_t variadicConnected(NodeId id) const;
  // The input a value of type `type` dropped on the node connects to: the variadic group's free input when it
  // accepts the type, else the first free fixed input that does. The node editor's "drop an adapter onto a
  // merge node" gesture.
  std::optional<std::size_t> dropTarget(NodeId id, PortType type) const;

  // ---- Edges
  // Why from → to cannot be connected ("input 'base' of 'TIES' is already connected", "... would make a
  // cycle", a type mismatch, an unknown node or port), or nullopt. For greying ports while dragging.
  MaybeError checkConnection(PortRef from, PortRef to) const;
  // Connects after checkConnection(); `weight` is the new input's weight in a weighted variadic group.
  MaybeError connect(PortRef from, PortRef to, double weight = 1.0);
  // Removes the edge into `to`; nullopt when there is none. A variadic group closes the gap.
  std::optional<EdgeRecord> disconnect(PortRef to);
  // Puts an edge back as disconnect() or removeNode() recorded it; into a variadic group it is inserted at
  // its index, moving the inputs from there up. Checks structure only (nodes and ports exist, the input is
  // free), not types or cycles: for undo, loading and pasting of content that was valid or is to be reported.
  MaybeError restoreEdge(const EdgeRecord& record);

  std::vector<Edge> edges() const;                 // sorted by input
  std::optional<PortRef> source(PortRef to) const; // the output feeding an input
  std::vector<Edge> edgesInto(NodeId id) const;    // sorted by input
  std::vector<Edge> edgesFrom(NodeId id) const;    // sorted by input
  // Whether `to` is downstream of `from` (or is `from`).
  bool reaches(NodeId from, NodeId to) const;

  // ---- Values
  const ParamValue* param(NodeId id, const std::string& name) const; // nullptr when not set
  // Checks the value against the type's schema (kind, range, choices) and stores its normalized form.
  MaybeError setParam(NodeId id, const std::string& name, ParamValue value);
  // The weight of a connected input of a weighted variadic group; nullopt for other inputs.
  std::optional<double> inputWeight(NodeId id, std::size_t input) const;
  MaybeError setInputWeight(NodeId id, std::size_t input, double weight);
  void move(NodeId id, Point position);               // throws std::out_of_range for an unknown id
  void setTitle(NodeId id, const std::string& title); // throws std::out_of_range for an unknown id

  // ---- Groups (node_groups.h): what the editor collapses; the engine never looks. Removing a node takes it
  // out of its group (a group left empty goes) and restoreNode() puts it back.
  const NodeGroups& groups() const { return groups_; }
  // Throws std::invalid_argument for no members, an unknown node, or a node already in a group.
  GroupId addGroup(const std::string& title, const std::set<NodeId>& members);
  std::optional<NodeGroup> removeGroup(GroupId id);   // dissolves it; nullopt for an unknown id
  void restoreGroup(const NodeGroup& group);          // as addGroup's checks, keeping the id
  void setGroupCollapsed(GroupId id, bool collapsed); // throw std::out_of_range for an unknown id
  void setGroupTitle(GroupId id, const std::string& title);

  // ---- Annotations (annotations.h): frames, comments and edges' reroute points; the engine never looks.
  // Reroute points go with their edge (in its EdgeRecord) and follow a renumbered variadic input; edge
  // notifications cover them.
  const Annotations& annotations() const { return annotations_; }
  // Replaces them all (an edit, its undo). Throws std::invalid_argument for reroute points of an input that
  // has no edge.
  void setAnnotations(Annotations annotations);

  // ---- Observers (not owned; remove before destroying them)
  void addObserver(DocumentObserver* observer);
  void removeObserver(DocumentObserver* observer);

private:
  Node& mutableNode(NodeId id);
  std::string describe(NodeId id) const; // "'TIES'" or "node 7"
  // Adds an edge into a free input or, in a variadic group, inserts it there; no checks.
  void attach(const EdgeRecord& record);
  // Moves the variadic edges of `node` at index >= `first` by `delta` (+1 or -1); returns (before, after)
  // pairs for the caller to notify once the whole edit is made.
  std::vector<std::pair<Edge, Edge>> shiftVariadic(NodeId node, std::size_t first, int delta);
  template <typename Call> void notify(Call call) const;

  const NodeTypeRegistry* registry_;
  std::map<NodeId, Node> nodes_;
  std::map<PortRef, PortRef> edges_; // input → output
  NodeId nextId_ = 1;
  NodeGroups groups_;
  Annotations annotations_;
  std::vector<DocumentObserver*> observers_;
};

} // namespace mg::graph
