#include "graph/clipboard.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "graph/graph_json.h"

namespace mg::graph {

namespace {

constexpr const char* kFormat = "merganser-nodes";

} // namespace

std::string copyNodes(const Document& document, const std::vector<NodeId>& ids,
                      const std::vector<AnnotationId>& annotations) {
  // The copy is built as a document of its own, so its variadic groups obey the document's rules (closed
  // up, weights in step) and it is written by the same code as a project.
  Document copy(document.registry());
  const std::set<NodeId> chosen(ids.begin(), ids.end());
  for (const NodeId id : chosen) {
    if (const Node* node = document.node(id)) {
      Node n = *node;
      if (document.nodeType(id) != nullptr) {
        n.weights.clear(); // they come back with the edges
      }
      copy.insertNode(std::move(n));
    }
  }
  std::map<NodeId, std::size_t> groupFill; // variadic inputs copied so far, per node
  for (const auto& edge : document.edges()) {
    if (!copy.contains(edge.from.node) || !copy.contains(edge.to.node)) {
      continue;
    }
    EdgeRecord record{edge, document.inputWeight(edge.to.node, edge.to.port).value_or(1.0),
                      document.annotations().reroutesOf(edge.to)};
    if (document.variadicPosition(edge.to.node, edge.to.port)) {
      record.edge.to.port = document.nodeType(edge.to.node)->fixedInputCount() + groupFill[edge.to.node]++;
    }
    if (auto error = copy.restoreEdge(record)) {
      throw std::logic_error("copying an edge: " + *error);
    }
  }
  // A group comes along when all of its nodes do (a saved group in the Library is such a copy).
  for (const auto& [id, group] : document.groups().all())
    if (std::includes(chosen.begin(), chosen.end(), group.members.begin(), group.members.end()))
      copy.restoreGroup(group);
  Annotations notes = copy.annotations(); // the reroutes of the copied edges
  for (const AnnotationId id : annotations) {
    if (const Frame* frame = document.annotations().frame(id)) notes.putFrame(*frame);
    if (const Comment* comment = document.annotations().comment(id)) notes.putComment(*comment);
  }
  copy.setAnnotations(std::move(notes));
  return detail::writeGraphJson(copy, kFormat, {});
}

std::vector<NodeId> pasteNodes(Document& document, const std::string& text, Point offset,
                               std::vector<AnnotationId>* annotations) {
  const Document copy = detail::readGraphJson(text, kFormat, {}, "clipboard", document.registry());
  std::map<NodeId, NodeId> fresh;
  std::vector<NodeId> added;
  for (const auto& [id, node] : copy.nodes()) {
    Node n = node;
    if (document.registry().find(n.type) != nullptr) {
      n.weights.clear(); // they come back with the edges
    }
    n.id = document.nextId();
    n.position = {node.position.x + offset.x, node.position.y + offset.y};
    fresh[id] = n.id;
    added.push_back(n.id);
    document.insertNode(std::move(n));
  }
  for (const auto& edge : copy.edges()) {
    EdgeRecord record{{{fresh.at(edge.from.node), edge.from.port}, {fresh.at(edge.to.node), edge.to.port}},
                      copy.inputWeight(edge.to.node, edge.to.port).value_or(1.0),
                      copy.annotations().reroutesOf(edge.to)};
    for (Point& p : record.reroutes)
      p = {p.x + offset.x, p.y + offset.y};
    if (auto error = document.restoreEdge(record)) {
      throw std::logic_error("pasting an edge: " + *error); // new nodes only: cannot collide
    }
  }
  for (const auto& [id, group] : copy.groups().all()) {
    std::set<NodeId> members;
    for (const NodeId member : group.members)
      members.insert(fresh.at(member));
    document.setGroupCollapsed(document.addGroup(group.title, members), group.collapsed);
  }
  Annotations notes = document.annotations();
  const auto moved = [&](Rect r) { return Rect{r.x + offset.x, r.y + offset.y, r.width, r.height}; };
  for (const auto& [id, frame] : copy.annotations().frames()) {
    Frame f = frame;
    f.rect = moved(f.rect);
    const AnnotationId made = notes.addFrame(std::move(f));
    if (annotations) annotations->push_back(made);
  }
  for (const auto& [id, comment] : copy.annotations().comments()) {
    Comment c = comment;
    c.rect = moved(c.rect);
    const AnnotationId made = notes.addComment(std::move(c));
    if (annotations) annotations->push_back(made);
  }
  document.setAnnotations(std::move(notes));
  return added;
}

} // namespace mg::graph
