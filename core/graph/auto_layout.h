#pragma once
// Arranges a whole graph left to right in layers, the way data flows: sources in the first column, each
// node one column right of its furthest input, sinks that feed nothing in the last column (results read
// together at the end, not wherever their inputs happen to be). Within a column nodes are ordered by the
// barycentre of their neighbours to reduce edge crossings. A layer with more nodes than fit a screen's
// height is wrapped into several columns side by side, so a wide fan-out (a dozen Evaluate nodes) does not
// make one column so tall that the fitted graph is unreadably small. Pure geometry: the editor applies the
// positions as one undoable move.
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
  // A layer of more nodes is wrapped into columns of at most this many (balanced); 0: never wrapped.
  std::size_t maxColumnNodes = 7;
  // The size each node takes on screen; default: estimatedNodeSize() (the editor passes the exact ones).
  std::function<LayoutSize(NodeId)> nodeSize;
};

// About the size the node editor draws node `id` at (its width; a title, one row per port, a summary line),
// for layouts made without the editor (the demo project) so that tall nodes do not overlap when opened.
LayoutSize estimatedNodeSize(const Document& document, NodeId id);

// The top-left position of every node. Never throws: edges that close a cycle (a file may hold one) are
// ignored for layering.
std::map<NodeId, Point> autoLayout(const Document& document, const LayoutOptions& options = {});

} // namespace mg::graph
