#include "graph/graph_json.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "graph/format_migrations.h"
#include "io/strict_json.h"

namespace mg::graph::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ---- Paths

std::string withoutTrailingSlash(std::string path) {
  while (path.size() > 1 && path.back() == '/') {
    path.pop_back();
  }
  return path;
}

std::string relativeTo(const std::string& folder, const std::string& path) {
  const fs::path absolute = fs::absolute(withoutTrailingSlash(path)).lexically_normal();
  const fs::path relative = absolute.lexically_relative(fs::path(folder).lexically_normal());
  return relative.empty() ? absolute.generic_string() : relative.generic_string();
}

std::string resolvedIn(const std::string& folder, const std::string& path) {
  const fs::path p(path);
  return p.is_absolute() ? path : (fs::path(folder) / p).lexically_normal().generic_string();
}

// Applies `change` to the non-empty Path parameters of a node of a known type (an unknown type's parameters
// are kept exactly: which of them are paths is not known).
template <typename Change>
void forEachPath(const NodeType* type, std::map<std::string, ParamValue>& params, Change change) {
  if (type == nullptr) {
    return;
  }
  for (auto& entry : params) {
    const ParamDef* def = type->param(entry.first);
    ParamValue& value = entry.second;
    if (def != nullptr && def->kind == ParamKind::Path && value.is_string() && value != "") {
      value = change(value.get<std::string>());
    }
  }
}

// ---- Writing

std::string scalar(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::strict); // throws on invalid UTF-8
}

// A value on one line with a space after each comma and colon.
std::string inline_(const json& value) {
  std::string text;
  if (value.is_array()) {
    for (const auto& element : value) {
      text += (text.empty() ? "" : ", ") + inline_(element);
    }
    return "[" + text + "]";
  }
  if (value.is_object()) {
    for (const auto& [key, element] : value.items()) {
      text += (text.empty() ? "" : ", ") + scalar(key) + ": " + inline_(element);
    }
    return "{" + text + "}";
  }
  return scalar(value);
}

std::string nodeBlock(const Node& node, const NodeType* type, const std::string& folder) {
  auto params = node.params;
  if (!folder.empty()) {
    forEachPath(type, params, [&](const std::string& path) { return relativeTo(folder, path); });
  }
  const std::string in = "      ";
  std::string text = "    {\n";
  text += in + "\"id\": " + std::to_string(node.id) + ",\n";
  text += in + "\"type\": " + scalar(node.type) + ",\n";
  text += in + "\"title\": " + scalar(node.title) + ",\n";
  text += in + "\"position\": " + inline_(json::array({node.position.x, node.position.y})) + ",\n";
  text += in + "\"params\": {";
  std::string entries;
  for (const auto& [name, value] : params) {
    entries += (entries.empty() ? "\n" : ",\n") + in + "  " + scalar(name) + ": " + inline_(value);
  }
  text += entries + (entries.empty() ? "}" : "\n" + in + "}");
  if (!node.weights.empty()) {
    text += ",\n" + in + "\"weights\": " + inline_(node.weights);
  }
  return text + "\n    }";
}

std::string edgeLine(const Edge& edge) {
  return "    {\"from\": [" + std::to_string(edge.from.node) + ", " + std::to_string(edge.from.port) + "], " +
         "\"to\": [" + std::to_string(edge.to.node) + ", " + std::to_string(edge.to.port) + "]}";
}

std::vector<std::string> groupLines(const NodeGroups& groups) {
  std::vector<std::string> lines;
  for (const auto& [id, group] : groups.all()) {
    std::string members;
    for (const NodeId member : group.members)
      members += (members.empty() ? "" : ", ") + std::to_string(member);
    lines.push_back("    {\"id\": " + std::to_string(id) + ", \"title\": " + scalar(group.title) +
                    ", \"collapsed\": " + (group.collapsed ? "true" : "false") + ", \"members\": [" +
                    members + "]}");
  }
  return lines;
}

std::string rectText(const Rect& r) {
  return inline_(json::array({r.x, r.y, r.width, r.height}));
}

// One line each, in id order (reroutes by input): a moved frame is a one-line diff.
std::vector<std::string> frameLines(const Annotations& annotations) {
  std::vector<std::string> lines;
  for (const auto& [id, f] : annotations.frames())
    lines.push_back("    {\"id\": " + std::to_string(id) + ", \"title\": " + scalar(f.title) +
                    ", \"colour\": " + scalar(f.colour) + ", \"rect\": " + rectText(f.rect) +
                    ", \"comment\": " + scalar(f.comment) + "}");
  return lines;
}

std::vector<std::string> commentLines(const Annotations& annotations) {
  std::vector<std::string> lines;
  for (const auto& [id, c] : annotations.comments())
    lines.push_back("    {\"id\": " + std::to_string(id) + ", \"rect\": " + rectText(c.rect) +
                    ", \"text\": " + scalar(c.text) + "}");
  return lines;
}

std::vector<std::string> rerouteLines(const Annotations& annotations) {
  std::vector<std::string> lines;
  for (const auto& [input, points] : annotations.reroutes()) {
    json array = json::array();
    for (const Point& p : points)
      array.push_back(json::array({p.x, p.y}));
    lines.push_back("    {\"to\": [" + std::to_string(input.node) + ", " + std::to_string(input.port) +
                    "], \"points\": " + inline_(array) + "}");
  }
  return lines;
}

std::string list(const std::vector<std::string>& items) {
  if (items.empty()) {
    return "[]";
  }
  std::string text = "[\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    text += items[i] + (i + 1 < items.size() ? ",\n" : "\n");
  }
  return text + "  ]";
}

// ---- Reading

[[noreturn]] void fail(const std::string& problem) {
  throw std::invalid_argument(problem);
}

const json& member(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) {
    fail(where + "has no \"" + key + "\"");
  }
  return *it;
}

std::uint64_t unsignedOf(const json& value, const std::string& what) {
  if (!value.is_number_unsigned()) {
    fail(what + " must be a non-negative integer");
  }
  return value.get<std::uint64_t>();
}

PortRef portRefOf(const json& value, const std::string& what) {
  if (!value.is_array() || value.size() != 2) {
    fail(what + " must be [node, port]");
  }
  return {unsignedOf(value[0], what + " node"),
          static_cast<std::size_t>(unsignedOf(value[1], what + " port"))};
}

double numberOf(const json& value, const std::string& what) {
  if (!value.is_number()) {
    fail(what + " must be a number");
  }
  return value.get<double>();
}

// A node as read, with the weights kept apart: a known type's weights return with its edges.
struct ReadNode {
  Node node;
  std::vector<double> weights;
};

ReadNode readNode(const json& object, const std::string& folder, const NodeTypeRegistry& registry) {
  if (!object.is_object()) {
    fail("every node must be an object");
  }
  ReadNode read;
  Node& node = read.node;
  node.id = unsignedOf(member(object, "id", "a node "), "a node's id");
  const std::string where = "node " + std::to_string(node.id) + ": ";
  const json& type = member(object, "type", where);
  if (!type.is_string()) {
    fail(where + "type must be text");
  }
  node.type = type.get<std::string>();
  const NodeType* nodeType = registry.find(node.type);
  node.title = object.value("title", nodeType != nullptr ? nodeType->title : node.type);
  if (const auto position = object.find("position"); position != object.end()) {
    if (!position->is_array() || position->size() != 2) {
      fail(where + "position must be [x, y]");
    }
    node.position = {numberOf((*position)[0], where + "x"), numberOf((*position)[1], where + "y")};
  }
  if (const auto params = object.find("params"); params != object.end()) {
    if (!params->is_object()) {
      fail(where + "params must be an object");
    }
    for (const auto& [name, value] : params->items()) {
      ParamValue normalized = value;
      // An earlier name of a parameter (a project saved before a rename) reads as the parameter.
      const ParamDef* def = nodeType != nullptr ? nodeType->findParam(name) : nullptr;
      const std::string& key = def != nullptr && !params->contains(def->name) ? def->name : name;
      // A value that breaks its definition is kept as written, for validate() to report: never lost.
      node.params[key] = def != nullptr && !normalizeValue(*def, normalized) ? normalized : value;
    }
  }
  if (!folder.empty()) {
    forEachPath(nodeType, node.params, [&](const std::string& path) { return resolvedIn(folder, path); });
  }
  if (const auto weights = object.find("weights"); weights != object.end()) {
    if (!weights->is_array()) {
      fail(where + "weights must be a list of numbers");
    }
    for (const auto& w : *weights) {
      read.weights.push_back(numberOf(w, where + "a weight"));
    }
  }
  if (nodeType == nullptr) {
    node.weights = read.weights; // an unknown type's weights are kept as they are
  }
  return read;
}

} // namespace

std::string writeGraphJson(const Document& document, const std::string& format, const std::string& folder) {
  std::vector<std::string> nodes;
  std::vector<std::string> edges;
  try {
    for (const auto& [id, node] : document.nodes()) {
      nodes.push_back(nodeBlock(node, document.nodeType(id), folder));
    }
  } catch (const json::exception& error) {
    throw std::invalid_argument(std::string("a title or parameter is not valid UTF-8 text: ") + error.what());
  }
  for (const auto& edge : document.edges()) {
    edges.push_back(edgeLine(edge));
  }
  std::string text = "{\n  \"format\": " + scalar(format) +
                     ",\n  \"version\": " + std::to_string(kGraphJsonVersion) +
                     ",\n  \"next_id\": " + std::to_string(document.nextId()) +
                     ",\n  \"nodes\": " + list(nodes) + ",\n  \"edges\": " + list(edges);
  // Optional sections are written only when there is something in them: a file without them reads the same
  // and a project that never used them keeps its bytes.
  if (!document.groups().empty()) text += ",\n  \"groups\": " + list(groupLines(document.groups()));
  const Annotations& annotations = document.annotations();
  try {
    if (!annotations.frames().empty()) text += ",\n  \"frames\": " + list(frameLines(annotations));
    if (!annotations.comments().empty()) text += ",\n  \"comments\": " + list(commentLines(annotations));
  } catch (const json::exception& error) {
    throw std::invalid_argument(std::string("a frame or comment is not valid UTF-8 text: ") + error.what());
  }
  if (!annotations.reroutes().empty()) text += ",\n  \"reroutes\": " + list(rerouteLines(annotations));
  return text + "\n}\n";
}

namespace {

void readGroups(const json& root, Document& document) {
  const auto groups = root.find("groups");
  if (groups == root.end()) return;
  if (!groups->is_array()) fail("groups must be a list");
  for (const json& object : *groups) {
    if (!object.is_object()) fail("every group must be an object");
    NodeGroup group;
    group.id = unsignedOf(member(object, "id", "a group "), "a group's id");
    const std::string where = "group " + std::to_string(group.id) + ": ";
    const json& title = member(object, "title", where);
    if (!title.is_string()) fail(where + "title must be text");
    group.title = title.get<std::string>();
    const json& collapsed = object.value("collapsed", json(true));
    if (!collapsed.is_boolean()) fail(where + "collapsed must be true or false");
    group.collapsed = collapsed.get<bool>();
    const json& members = member(object, "members", where);
    if (!members.is_array()) fail(where + "members must be a list of node ids");
    for (const json& id : members)
      group.members.insert(unsignedOf(id, where + "a member"));
    try {
      document.restoreGroup(group);
    } catch (const std::invalid_argument& error) {
      fail(where + error.what());
    }
  }
}

// The objects of an optional list section ("frames"), each read by `read`.
template <typename Read> void readSection(const json& root, const char* key, const char* what, Read read) {
  const auto section = root.find(key);
  if (section == root.end()) return;
  if (!section->is_array()) fail(std::string(key) + " must be a list");
  for (const json& object : *section) {
    if (!object.is_object()) fail(std::string("every ") + what + " must be an object");
    read(object);
  }
}

std::string textOf(const json& object, const char* key, const std::string& where) {
  const json& value = object.value(key, json(""));
  if (!value.is_string()) fail(where + key + " must be text");
  return value.get<std::string>();
}

Rect rectOf(const json& object, const std::string& where) {
  const json& value = member(object, "rect", where);
  if (!value.is_array() || value.size() != 4) fail(where + "rect must be [x, y, width, height]");
  return {numberOf(value[0], where + "x"), numberOf(value[1], where + "y"),
          numberOf(value[2], where + "width"), numberOf(value[3], where + "height")};
}

// Frames, comments and reroute points (annotations.h); ports of reroutes migrate as their edges' do, and
// points for an input without an edge are dropped (they are drawing only: nothing to keep them for).
void readAnnotations(const json& root, std::int64_t version, Document& document) {
  Annotations annotations;
  const auto put = [&](const std::string& where, auto call) {
    try {
      call();
    } catch (const std::invalid_argument& error) {
      fail(where + error.what());
    }
  };
  readSection(root, "frames", "frame", [&](const json& object) {
    Frame frame;
    frame.id = unsignedOf(member(object, "id", "a frame "), "a frame's id");
    const std::string where = "frame " + std::to_string(frame.id) + ": ";
    frame.title = textOf(object, "title", where);
    frame.colour = textOf(object, "colour", where);
    frame.rect = rectOf(object, where);
    frame.comment = textOf(object, "comment", where);
    if (annotations.frame(frame.id)) fail(where + "the id appears twice");
    put(where, [&] { annotations.putFrame(frame); });
  });
  readSection(root, "comments", "comment", [&](const json& object) {
    Comment comment;
    comment.id = unsignedOf(member(object, "id", "a comment "), "a comment's id");
    const std::string where = "comment " + std::to_string(comment.id) + ": ";
    comment.rect = rectOf(object, where);
    comment.text = textOf(object, "text", where);
    if (annotations.comment(comment.id)) fail(where + "the id appears twice");
    put(where, [&] { annotations.putComment(comment); });
  });
  readSection(root, "reroutes", "reroute", [&](const json& object) {
    PortRef input = portRefOf(member(object, "to", "a reroute "), "a reroute's \"to\"");
    const std::string where =
        "reroute to " + std::to_string(input.node) + ":" + std::to_string(input.port) + ": ";
    const json& points = member(object, "points", where);
    if (!points.is_array()) fail(where + "points must be a list of [x, y]");
    std::vector<Point> read;
    for (const json& p : points) {
      if (!p.is_array() || p.size() != 2) fail(where + "points must be a list of [x, y]");
      read.push_back({numberOf(p[0], where + "x"), numberOf(p[1], where + "y")});
    }
    if (!document.contains(input.node)) return;
    input.port = migratedInputPort(version, document.at(input.node).type, input.port);
    if (document.source(input)) annotations.setReroutes(input, std::move(read));
  });
  document.setAnnotations(std::move(annotations));
}

Document readGraph(const json& root, const std::string& format, const std::string& folder,
                   const NodeTypeRegistry& registry) {
  if (!root.is_object() || root.value("format", json()) != format) {
    fail("is not a " + format + " file (no \"format\": \"" + format + "\")");
  }
  const json& version = member(root, "version", "");
  if (!version.is_number_integer() || version.get<std::int64_t>() < 1) {
    fail("version must be a positive integer");
  }
  if (version.get<std::int64_t>() > kGraphJsonVersion) {
    fail("was saved by a newer Merganser (version " + version.dump() + "; this one reads up to " +
         std::to_string(kGraphJsonVersion) + ")");
  }
  const json& nodes = member(root, "nodes", "");
  const json& edges = member(root, "edges", "");
  if (!nodes.is_array() || !edges.is_array()) {
    fail("nodes and edges must be lists");
  }

  Document document(registry);
  std::map<NodeId, std::vector<double>> weights;
  for (const auto& object : nodes) {
    ReadNode read = readNode(object, folder, registry);
    const NodeId id = read.node.id;
    if (id == kNoNode || document.contains(id)) {
      fail("node id " + std::to_string(id) + (id == kNoNode ? " is reserved" : " appears twice"));
    }
    weights[id] = std::move(read.weights);
    document.insertNode(std::move(read.node));
  }

  std::vector<Edge> sorted;
  for (const auto& object : edges) {
    if (!object.is_object()) {
      fail("every edge must be an object");
    }
    Edge edge{portRefOf(member(object, "from", "an edge "), "an edge's \"from\""),
              portRefOf(member(object, "to", "an edge "), "an edge's \"to\"")};
    if (document.contains(edge.to.node))
      edge.to.port =
          migratedInputPort(version.get<std::int64_t>(), document.at(edge.to.node).type, edge.to.port);
    sorted.push_back(edge);
  }
  // By input: a variadic group is then filled from its first input, each edge taking the next free one.
  std::sort(sorted.begin(), sorted.end());
  for (const auto& edge : sorted) {
    const std::string where = "edge " + std::to_string(edge.from.node) + ":" +
                              std::to_string(edge.from.port) + " -> " + std::to_string(edge.to.node) + ":" +
                              std::to_string(edge.to.port) + ": ";
    EdgeRecord record{edge, 1.0};
    const auto position = document.variadicPosition(edge.to.node, edge.to.port);
    if (position && document.nodeType(edge.to.node)->variadicInput()->weighted) {
      const auto& given = weights[edge.to.node];
      if (*position >= given.size()) {
        fail(where + "node " + std::to_string(edge.to.node) + " lists fewer weights than connected inputs");
      }
      record.weight = given[*position];
    }
    if (auto error = document.restoreEdge(record)) {
      fail(where + *error);
    }
  }
  for (const auto& [id, given] : weights) {
    if (document.nodeType(id) != nullptr && given.size() != document.at(id).weights.size()) {
      fail("node " + std::to_string(id) + " lists " + std::to_string(given.size()) + " weights for " +
           std::to_string(document.at(id).weights.size()) + " weighted inputs");
    }
  }
  if (const auto next = root.find("next_id"); next != root.end()) {
    document.reserveIds(unsignedOf(*next, "next_id"));
  }
  readGroups(root, document);
  readAnnotations(root, version.get<std::int64_t>(), document);
  return document;
}

} // namespace

Document readGraphJson(const std::string& text, const std::string& format, const std::string& folder,
                       const std::string& file, const NodeTypeRegistry& registry) {
  const json root = io::parseStrictJson(text, file, "the text");
  try {
    return readGraph(root, format, folder, registry);
  } catch (const json::exception& error) { // a value of the wrong JSON type where a reader did not expect it
    fail(std::string("unexpected content: ") + error.what());
  }
}

} // namespace mg::graph::detail
