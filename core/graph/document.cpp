#include "graph/document.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

namespace mg::graph {

namespace {

// The variadic position of `input` on a node of `type`, whether or not that input exists yet.
std::optional<std::size_t> groupPosition(const NodeType* type, std::size_t input) {
  if (type == nullptr || type->variadicInput() == nullptr || input < type->fixedInputCount()) {
    return std::nullopt;
  }
  return input - type->fixedInputCount();
}

} // namespace

Document::Document(const NodeTypeRegistry& registry) : registry_(&registry) {}

Document::Document(const Document& other)
    : registry_(other.registry_), nodes_(other.nodes_), edges_(other.edges_), nextId_(other.nextId_),
      groups_(other.groups_), annotations_(other.annotations_) {}

Document::Document(Document&& other) noexcept
    : registry_(other.registry_), nodes_(std::move(other.nodes_)), edges_(std::move(other.edges_)),
      nextId_(other.nextId_), groups_(std::move(other.groups_)), annotations_(std::move(other.annotations_)) {
}

Document& Document::operator=(const Document& other) {
  if (this != &other) {
    registry_ = other.registry_;
    nodes_ = other.nodes_;
    edges_ = other.edges_;
    nextId_ = other.nextId_;
    groups_ = other.groups_;
    annotations_ = other.annotations_;
    notify([](DocumentObserver& o) { o.documentReset(); });
  }
  return *this;
}

Document& Document::operator=(Document&& other) noexcept {
  if (this != &other) {
    registry_ = other.registry_;
    nodes_ = std::move(other.nodes_);
    edges_ = std::move(other.edges_);
    nextId_ = other.nextId_;
    groups_ = std::move(other.groups_);
    annotations_ = std::move(other.annotations_);
    notify([](DocumentObserver& o) { o.documentReset(); });
  }
  return *this;
}

Document::~Document() = default;

template <typename Call> void Document::notify(Call call) const {
  const auto observers = observers_; // an observer may remove itself
  for (auto* observer : observers) {
    call(*observer);
  }
}

void Document::addObserver(DocumentObserver* observer) {
  if (std::find(observers_.begin(), observers_.end(), observer) == observers_.end()) {
    observers_.push_back(observer);
  }
}

void Document::removeObserver(DocumentObserver* observer) {
  observers_.erase(std::remove(observers_.begin(), observers_.end(), observer), observers_.end());
}

// ---- Nodes

NodeId Document::addNode(const std::string& typeId, Point position) {
  const NodeType& type = registry_->get(typeId);
  Node node;
  node.id = nextId_;
  node.type = typeId;
  node.title = type.title;
  node.position = position;
  insertNode(std::move(node));
  return nextId_ - 1;
}

void Document::insertNode(Node node) {
  if (node.id == kNoNode) {
    throw std::invalid_argument("node id 0 is reserved");
  }
  if (contains(node.id)) {
    throw std::invalid_argument("node id " + std::to_string(node.id) + " is in use");
  }
  if (const NodeType* type = registry_->find(node.type)) {
    if (!node.weights.empty()) {
      throw std::invalid_argument("node " + std::to_string(node.id) +
                                  ": input weights come back with its edges (restoreEdge)");
    }
    for (const auto& def : type->params) {
      node.params.emplace(def.name, def.defaultValue); // keeps values already given
    }
  }
  const NodeId id = node.id;
  nextId_ = std::max(nextId_, id + 1);
  nodes_.emplace(id, std::move(node));
  notify([id](DocumentObserver& o) { o.nodeAdded(id); });
}

RemovedNode Document::removeNode(NodeId id) {
  at(id); // throws for an unknown id
  std::vector<Edge> touching;
  for (const auto& [to, from] : edges_) {
    if (to.node == id || from.node == id) {
      touching.push_back({from, to});
    }
  }
  // Last input first: no removal then renumbers an input whose edge is still to be removed, so each record
  // holds the index restoreEdge() needs when the records are replayed in reverse.
  std::sort(touching.rbegin(), touching.rend());
  RemovedNode removed;
  for (const auto& edge : touching) {
    removed.edges.push_back(*disconnect(edge.to));
  }
  removed.node = at(id); // after the disconnections: a known type's weights are in the records
  nodes_.erase(id);
  removed.group = groups_.removeMember(id);
  notify([id](DocumentObserver& o) { o.nodeRemoved(id); });
  if (removed.group) notify([](DocumentObserver& o) { o.groupsChanged(); });
  return removed;
}

void Document::restoreNode(const RemovedNode& removed) {
  insertNode(removed.node);
  for (auto it = removed.edges.rbegin(); it != removed.edges.rend(); ++it) {
    if (auto error = restoreEdge(*it)) {
      throw std::logic_error("restoring node " + std::to_string(removed.node.id) + ": " + *error);
    }
  }
  if (removed.group) {
    groups_.restoreMember(removed.node.id, *removed.group);
    notify([](DocumentObserver& o) { o.groupsChanged(); });
  }
}

const Node* Document::node(NodeId id) const {
  const auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second;
}

const Node& Document::at(NodeId id) const {
  if (const Node* n = node(id)) {
    return *n;
  }
  throw std::out_of_range("no node " + std::to_string(id));
}

Node& Document::mutableNode(NodeId id) {
  return const_cast<Node&>(at(id));
}

std::vector<NodeId> Document::nodeIds() const {
  std::vector<NodeId> ids;
  for (const auto& entry : nodes_) {
    ids.push_back(entry.first);
  }
  return ids;
}

const NodeType* Document::nodeType(NodeId id) const {
  const Node* n = node(id);
  return n == nullptr ? nullptr : registry_->find(n->type);
}

void Document::reserveIds(NodeId next) {
  nextId_ = std::max(nextId_, next);
}

std::string Document::describe(NodeId id) const {
  const Node* n = node(id);
  return n != nullptr && !n->title.empty() ? "'" + n->title + "'" : "node " + std::to_string(id);
}

// ---- Ports

std::size_t Document::variadicConnected(NodeId id) const {
  const NodeType* type = nodeType(id);
  if (type == nullptr || type->variadicInput() == nullptr) {
    return 0;
  }
  std::size_t count = 0;
  for (auto it = edges_.lower_bound({id, type->fixedInputCount()});
       it != edges_.end() && it->first.node == id; ++it) {
    ++count;
  }
  return count;
}

std::size_t Document::inputCount(NodeId id) const {
  at(id);
  const NodeType* type = nodeType(id);
  if (type == nullptr) {
    std::size_t count = 0;
    for (const auto& edge : edgesInto(id)) {
      count = std::max(count, edge.to.port + 1);
    }
    return count;
  }
  std::size_t count = type->fixedInputCount();
  if (const PortSpec* group = type->variadicInput()) {
    const std::size_t connected = variadicConnected(id);
    const bool full = group->maxCount != 0 && connected >= group->maxCount;
    count += connected + (full ? 0 : 1);
  }
  return count;
}

std::size_t Document::outputCount(NodeId id) const {
  at(id);
  if (const NodeType* type = nodeType(id)) {
    return type->outputs.size();
  }
  std::size_t count = 0;
  for (const auto& edge : edgesFrom(id)) {
    count = std::max(count, edge.from.port + 1);
  }
  return count;
}

const PortSpec* Document::inputSpec(NodeId id, std::size_t input) const {
  const NodeType* type = nodeType(id);
  if (type == nullptr || input >= inputCount(id)) {
    return nullptr;
  }
  return &type->inputs[std::min(input, type->fixedInputCount())];
}

const PortSpec* Document::outputSpec(NodeId id, std::size_t output) const {
  const NodeType* type = nodeType(id);
  return type == nullptr || output >= type->outputs.size() ? nullptr : &type->outputs[output];
}

std::optional<std::size_t> Document::variadicPosition(NodeId id, std::size_t input) const {
  if (!contains(id) || input >= inputCount(id)) {
    return std::nullopt;
  }
  return groupPosition(nodeType(id), input);
}

std::string Document::inputLabel(NodeId id, std::size_t input) const {
  const PortSpec* spec = inputSpec(id, input);
  if (spec == nullptr) {
    return "input " + std::to_string(input + 1);
  }
  if (const auto position = variadicPosition(id, input)) {
    return spec->name + " " + std::to_string(*position + 1);
  }
  return spec->name;
}

std::optional<std::size_t> Document::dropTarget(NodeId id, PortType type) const {
  const NodeType* nodeType = this->nodeType(id);
  if (nodeType == nullptr) {
    return std::nullopt;
  }
  const std::size_t fixed = nodeType->fixedInputCount();
  if (const PortSpec* group = nodeType->variadicInput(); group != nullptr && canConnect(type, group->type)) {
    const std::size_t free = fixed + variadicConnected(id);
    if (free < inputCount(id)) {
      return free;
    }
  }
  for (std::size_t i = 0; i < fixed; ++i) {
    if (canConnect(type, nodeType->inputs[i].type) && edges_.count({id, i}) == 0) {
      return i;
    }
  }
  return std::nullopt;
}

// ---- Edges

MaybeError Document::checkConnection(PortRef from, PortRef to) const {
  for (const NodeId id : {from.node, to.node}) {
    if (!contains(id)) {
      return "there is no node " + std::to_string(id);
    }
    if (nodeType(id) == nullptr) {
      return describe(id) + " has a node type this version does not know ('" + at(id).type +
             "') and cannot be connected";
    }
  }
  const PortSpec* out = outputSpec(from.node, from.port);
  if (out == nullptr) {
    return describe(from.node) + " has no output " + std::to_string(from.port + 1);
  }
  const PortSpec* in = inputSpec(to.node, to.port);
  if (in == nullptr) {
    return describe(to.node) + " has no input " + std::to_string(to.port + 1);
  }
  const std::string input = "input '" + inputLabel(to.node, to.port) + "' of " + describe(to.node);
  if (!canConnect(out->type, in->type)) {
    return std::string("a ") + portTypeName(out->type) + " cannot feed the " + portTypeName(in->type) + " " +
           input;
  }
  if (edges_.count(to) != 0) {
    return input + " is already connected";
  }
  if (reaches(to.node, from.node)) {
    return "connecting " + describe(from.node) + " to " + describe(to.node) + " would make a cycle";
  }
  return std::nullopt;
}

MaybeError Document::connect(PortRef from, PortRef to, double weight) {
  if (auto error = checkConnection(from, to)) {
    return error;
  }
  if (!std::isfinite(weight)) {
    return std::string("an input weight must be a finite number");
  }
  attach({{from, to}, weight});
  return std::nullopt;
}

std::optional<EdgeRecord> Document::disconnect(PortRef to) {
  const auto it = edges_.find(to);
  if (it == edges_.end()) {
    return std::nullopt;
  }
  EdgeRecord record{{it->second, to}, 1.0, annotations_.takeReroutes(to)};
  edges_.erase(it);
  const NodeType* type = nodeType(to.node);
  const auto position = groupPosition(type, to.port);
  std::vector<std::pair<Edge, Edge>> moved;
  if (position) {
    auto& weights = mutableNode(to.node).weights;
    if (type->variadicInput()->weighted && *position < weights.size()) {
      record.weight = weights[*position];
      weights.erase(weights.begin() + static_cast<std::ptrdiff_t>(*position));
    }
    moved = shiftVariadic(to.node, to.port + 1, -1);
  }
  notify([&](DocumentObserver& o) { o.edgeRemoved(record.edge); });
  for (const auto& shift : moved) { // not a structured binding: C++17 lambdas cannot capture one
    notify([&](DocumentObserver& o) {
      o.edgeRemoved(shift.first);
      o.edgeAdded(shift.second);
    });
  }
  if (position) {
    notify([&](DocumentObserver& o) { o.inputsChanged(to.node); });
  }
  return record;
}

MaybeError Document::restoreEdge(const EdgeRecord& record) {
  const Edge& edge = record.edge;
  for (const NodeId id : {edge.from.node, edge.to.node}) {
    if (!contains(id)) {
      return "there is no node " + std::to_string(id);
    }
  }
  const NodeType* fromType = nodeType(edge.from.node);
  if (fromType != nullptr && edge.from.port >= fromType->outputs.size()) {
    return describe(edge.from.node) + " has no output " + std::to_string(edge.from.port + 1);
  }
  const NodeType* toType = nodeType(edge.to.node);
  const std::string noInput = describe(edge.to.node) + " has no input " + std::to_string(edge.to.port + 1);
  if (const auto position = groupPosition(toType, edge.to.port)) {
    const std::size_t connected = variadicConnected(edge.to.node);
    const std::size_t max = toType->variadicInput()->maxCount;
    if (*position > connected || (max != 0 && connected >= max)) {
      return noInput;
    }
  } else if (toType != nullptr && edge.to.port >= toType->fixedInputCount()) {
    return noInput;
  } else if (edges_.count(edge.to) != 0) {
    return "input '" + inputLabel(edge.to.node, edge.to.port) + "' of " + describe(edge.to.node) +
           " is already connected";
  }
  if (!std::isfinite(record.weight)) {
    return std::string("an input weight must be a finite number");
  }
  attach(record);
  return std::nullopt;
}

void Document::attach(const EdgeRecord& record) {
  const Edge& edge = record.edge;
  const NodeType* type = nodeType(edge.to.node);
  const auto position = groupPosition(type, edge.to.port);
  std::vector<std::pair<Edge, Edge>> moved;
  if (position) {
    moved = shiftVariadic(edge.to.node, edge.to.port, +1); // nothing moves when it is the free input
    if (type->variadicInput()->weighted) {
      auto& weights = mutableNode(edge.to.node).weights;
      weights.insert(weights.begin() + static_cast<std::ptrdiff_t>(std::min(*position, weights.size())),
                     record.weight);
    }
  }
  edges_[edge.to] = edge.from;
  annotations_.setReroutes(edge.to, record.reroutes);
  for (auto it = moved.rbegin(); it != moved.rend(); ++it) { // from the top, as the inputs moved
    notify([&](DocumentObserver& o) {
      o.edgeRemoved(it->first);
      o.edgeAdded(it->second);
    });
  }
  notify([&](DocumentObserver& o) { o.edgeAdded(edge); });
  if (position) {
    notify([&](DocumentObserver& o) { o.inputsChanged(edge.to.node); });
  }
}

std::vector<std::pair<Edge, Edge>> Document::shiftVariadic(NodeId node, std::size_t first, int delta) {
  std::vector<std::pair<Edge, Edge>> moved;
  for (auto it = edges_.lower_bound({node, first}); it != edges_.end() && it->first.node == node; ++it) {
    const PortRef to{node, static_cast<std::size_t>(static_cast<long long>(it->first.port) + delta)};
    moved.push_back({{it->second, it->first}, {it->second, to}});
  }
  std::vector<std::vector<Point>> reroutes; // travel with their edges
  for (const auto& [before, after] : moved) {
    edges_.erase(before.to);
    reroutes.push_back(annotations_.takeReroutes(before.to));
  }
  for (std::size_t i = 0; i < moved.size(); ++i) {
    edges_[moved[i].second.to] = moved[i].second.from;
    annotations_.setReroutes(moved[i].second.to, std::move(reroutes[i]));
  }
  return moved;
}

std::vector<Edge> Document::edges() const {
  std::vector<Edge> out;
  for (const auto& [to, from] : edges_) {
    out.push_back({from, to});
  }
  return out;
}

std::optional<PortRef> Document::source(PortRef to) const {
  const auto it = edges_.find(to);
  return it == edges_.end() ? std::nullopt : std::optional<PortRef>(it->second);
}

std::vector<Edge> Document::edgesInto(NodeId id) const {
  std::vector<Edge> out;
  for (auto it = edges_.lower_bound({id, 0}); it != edges_.end() && it->first.node == id; ++it) {
    out.push_back({it->second, it->first});
  }
  return out;
}

std::vector<Edge> Document::edgesFrom(NodeId id) const {
  std::vector<Edge> out;
  for (const auto& [to, from] : edges_) {
    if (from.node == id) {
      out.push_back({from, to});
    }
  }
  return out;
}

bool Document::reaches(NodeId from, NodeId to) const {
  // One pass over the edges, then a walk: the editor asks this for every port while an edge is dragged.
  std::multimap<NodeId, NodeId> next;
  for (const auto& [input, output] : edges_) {
    next.emplace(output.node, input.node);
  }
  std::vector<NodeId> stack{from};
  std::set<NodeId> seen{from};
  while (!stack.empty()) {
    const NodeId id = stack.back();
    stack.pop_back();
    if (id == to) {
      return true;
    }
    const auto [first, last] = next.equal_range(id);
    for (auto it = first; it != last; ++it) {
      if (seen.insert(it->second).second) {
        stack.push_back(it->second);
      }
    }
  }
  return false;
}

// ---- Values

const ParamValue* Document::param(NodeId id, const std::string& name) const {
  const Node* n = node(id);
  if (n == nullptr) {
    return nullptr;
  }
  const auto it = n->params.find(name);
  return it == n->params.end() ? nullptr : &it->second;
}

MaybeError Document::setParam(NodeId id, const std::string& name, ParamValue value) {
  if (!contains(id)) {
    return "there is no node " + std::to_string(id);
  }
  const NodeType* type = nodeType(id);
  if (type == nullptr) {
    return describe(id) + " has a node type this version does not know: its parameters cannot be edited";
  }
  const ParamDef* def = type->param(name);
  if (def == nullptr) {
    return describe(id) + " has no parameter '" + name + "'";
  }
  if (auto error = normalizeValue(*def, value)) {
    return error;
  }
  auto& slot = mutableNode(id).params[name];
  if (slot == value && slot.type() == value.type()) {
    return std::nullopt;
  }
  slot = std::move(value);
  notify([&](DocumentObserver& o) { o.paramChanged(id, name); });
  return std::nullopt;
}

std::optional<double> Document::inputWeight(NodeId id, std::size_t input) const {
  const auto position = variadicPosition(id, input);
  const NodeType* type = nodeType(id);
  if (!position || !type->variadicInput()->weighted || *position >= at(id).weights.size()) {
    return std::nullopt;
  }
  return at(id).weights[*position];
}

MaybeError Document::setInputWeight(NodeId id, std::size_t input, double weight) {
  if (!contains(id)) {
    return "there is no node " + std::to_string(id);
  }
  if (!inputWeight(id, input)) {
    return "input '" + inputLabel(id, input) + "' of " + describe(id) + " has no weight (not a connected " +
           "weighted input)";
  }
  if (!std::isfinite(weight)) {
    return std::string("an input weight must be a finite number");
  }
  double& slot = mutableNode(id).weights[*variadicPosition(id, input)];
  if (slot != weight) {
    slot = weight;
    notify([&](DocumentObserver& o) { o.inputWeightChanged(id, input); });
  }
  return std::nullopt;
}

void Document::move(NodeId id, Point position) {
  Node& n = mutableNode(id);
  if (n.position != position) {
    n.position = position;
    notify([id](DocumentObserver& o) { o.nodeMoved(id); });
  }
}

void Document::setTitle(NodeId id, const std::string& title) {
  Node& n = mutableNode(id);
  if (n.title != title) {
    n.title = title;
    notify([id](DocumentObserver& o) { o.titleChanged(id); });
  }
}

// ---- Groups

GroupId Document::addGroup(const std::string& title, const std::set<NodeId>& members) {
  for (const NodeId id : members)
    if (!contains(id)) throw std::invalid_argument("no node " + std::to_string(id) + " to group");
  const GroupId id = groups_.add(title, members);
  notify([](DocumentObserver& o) { o.groupsChanged(); });
  return id;
}

std::optional<NodeGroup> Document::removeGroup(GroupId id) {
  auto removed = groups_.remove(id);
  if (removed) notify([](DocumentObserver& o) { o.groupsChanged(); });
  return removed;
}

void Document::restoreGroup(const NodeGroup& group) {
  for (const NodeId id : group.members)
    if (!contains(id)) throw std::invalid_argument("no node " + std::to_string(id) + " to group");
  groups_.restore(group);
  notify([](DocumentObserver& o) { o.groupsChanged(); });
}

void Document::setGroupCollapsed(GroupId id, bool collapsed) {
  groups_.setCollapsed(id, collapsed);
  notify([](DocumentObserver& o) { o.groupsChanged(); });
}

void Document::setGroupTitle(GroupId id, const std::string& title) {
  groups_.setTitle(id, title);
  notify([](DocumentObserver& o) { o.groupsChanged(); });
}

// ---- Annotations

void Document::setAnnotations(Annotations annotations) {
  for (const auto& [input, points] : annotations.reroutes())
    if (edges_.count(input) == 0)
      throw std::invalid_argument("reroute points for input " + std::to_string(input.port + 1) + " of " +
                                  describe(input.node) + ", which has no edge");
  if (annotations == annotations_) return;
  annotations_ = std::move(annotations);
  notify([](DocumentObserver& o) { o.annotationsChanged(); });
}

} // namespace mg::graph
