#pragma once
// The value types of a graph document: node ids, port references, edges and nodes. Plain data; the
// invariants that tie them together are kept by Document.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "graph/param_def.h"

namespace mg::graph {

// Ids are handed out in increasing order and never reused within a document, saved files included, so
// results and caches keyed by id never meet a different node under the same id. 0 is never an id.
using NodeId = std::uint64_t;
constexpr NodeId kNoNode = 0;

struct Point {
  double x = 0.0;
  double y = 0.0;
  bool operator==(const Point& o) const { return x == o.x && y == o.y; }
  bool operator!=(const Point& o) const { return !(*this == o); }
};

// An output or an input of a node, by index (which one is clear from where it is used).
struct PortRef {
  NodeId node = kNoNode;
  std::size_t port = 0;
  bool operator==(const PortRef& o) const { return node == o.node && port == o.port; }
  bool operator!=(const PortRef& o) const { return !(*this == o); }
  bool operator<(const PortRef& o) const { return std::tie(node, port) < std::tie(o.node, o.port); }
};

// From an output to an input. An input takes at most one edge, so `to` identifies the edge.
struct Edge {
  PortRef from;
  PortRef to;
  bool operator==(const Edge& o) const { return from == o.from && to == o.to; }
  bool operator!=(const Edge& o) const { return !(*this == o); }
  // Sorted by input: the order of the project file and of every edge list the document returns.
  bool operator<(const Edge& o) const { return std::tie(to, from) < std::tie(o.to, o.from); }
};

// An edge with the weight its input carried (1 for inputs without weights) and the points it was drawn
// through (graph/annotations.h): what disconnect() and removeNode() hand back so that undo can put things
// back exactly.
struct EdgeRecord {
  Edge edge;
  double weight = 1.0;
  std::vector<Point> reroutes = {}; // initialised, so that {edge, weight} stays warning-free
};

struct Node {
  NodeId id = kNoNode;
  std::string type; // a NodeType id; a type the registry does not know is kept as is (see Document)
  std::string title;
  Point position;
  std::map<std::string, ParamValue> params; // every parameter of the type, defaults included
  // One weight per connected input of the type's weighted variadic group, in input order.
  std::vector<double> weights;
};

} // namespace mg::graph
