#pragma once
// Arranges a whole graph left to right in layers, the way data flows: sources in the first column, each
// node one column right of its furthest input, sinks last. Within a column nodes are ordered by the
// barycentre of their neighbours to reduce edge crossings. Pure geometry: the editor applies the positions
// as one undoable move.
#include <functional>
#include <map>

#include "graph/node.h"

namespace mg::graph {

class Document;

struct LayoutSize {
  double width = 200.0;
  double height = 100.0;
};

struct LayoutOptions {
  double columnGap = 100.0; // between the widest node of a column and the next column
  double rowGap = 40.0;     // between two nodes of a column
  Point origin;             // the top-left corner of the tallest column
  int sweeps = 6;           // barycentre passes (down and up count as one each)
  // The size each node takes on screen; default: LayoutSize{}.
  std::function<LayoutSize(NodeId)> nodeSize;
};

// The top-left position of every node. Never throws: edges that close a cycle (a file may hold one) are
// ignored for layering.
std::map<NodeId, Point> autoLayout(const Document& document, const LayoutOptions& options = {});

} // namespace mg::graph
