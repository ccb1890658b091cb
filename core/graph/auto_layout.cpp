#include "graph/auto_layout.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "graph/document.h"

namespace mg::graph {

namespace {

// Longest path from any node without inputs; an edge back into a node still being visited (a cycle) does
// not count.
class Layering {
public:
  explicit Layering(const Document& document) : document_(document) {}

  std::map<NodeId, int> run() {
    for (const NodeId id : document_.nodeIds())
      layerOf(id);
    return layers_;
  }

private:
  int layerOf(NodeId id) {
    if (auto it = layers_.find(id); it != layers_.end()) return it->second;
    visiting_[id] = true;
    int layer = 0;
    for (const Edge& edge : document_.edgesInto(id)) {
      const NodeId from = edge.from.node;
      if (visiting_[from] || !document_.contains(from)) continue;
      layer = std::max(layer, layerOf(from) + 1);
    }
    visiting_[id] = false;
    layers_[id] = layer;
    return layer;
  }

  const Document& document_;
  std::map<NodeId, int> layers_;
  std::map<NodeId, bool> visiting_;
};

using Columns = std::vector<std::vector<NodeId>>;

// Sinks whose results nothing reads (Export, Compare, a map) move to the last layer.
void sinksLast(const Document& document, std::map<NodeId, int>& layers) {
  int last = 0;
  for (const auto& [id, layer] : layers)
    last = std::max(last, layer);
  for (auto& [id, layer] : layers) {
    const NodeType* type = document.nodeType(id);
    if (type && type->sink && document.edgesFrom(id).empty()) layer = last;
  }
}

// Each column of more than `most` nodes split into ceil(n / most) columns of balanced size, in order.
Columns wrapTallColumns(const Columns& columns, std::size_t most) {
  if (most == 0) return columns;
  Columns wrapped;
  for (const auto& column : columns) {
    const std::size_t n = column.size();
    const std::size_t parts = std::max<std::size_t>(1, (n + most - 1) / most);
    const std::size_t per = std::max<std::size_t>(1, (n + parts - 1) / parts);
    if (n == 0) wrapped.emplace_back();
    for (std::size_t start = 0; start < n; start += per)
      wrapped.emplace_back(column.begin() + std::ptrdiff_t(start),
                           column.begin() + std::ptrdiff_t(std::min(start + per, n)));
  }
  return wrapped;
}

// Reorders each column by the mean rank of the nodes' neighbours in the column before (down) or after (up).
// A neighbour's rank is refined by the port, so two edges into one node keep their inputs' order. Nodes
// without such neighbours keep their place.
void sweep(const Document& document, Columns& columns, bool down) {
  std::map<NodeId, double> rank;
  for (const auto& column : columns)
    for (std::size_t i = 0; i < column.size(); ++i)
      rank[column[i]] = double(i);

  const int n = int(columns.size());
  for (int step = 1; step < n; ++step) {
    auto& column = columns[down ? step : n - 1 - step];
    std::vector<std::pair<double, NodeId>> keyed;
    for (std::size_t i = 0; i < column.size(); ++i) {
      const NodeId id = column[i];
      double sum = 0.0;
      int count = 0;
      const auto edges = down ? document.edgesInto(id) : document.edgesFrom(id);
      for (const Edge& edge : edges) {
        const PortRef other = down ? edge.from : edge.to;
        if (!rank.count(other.node)) continue;
        const std::size_t ports = std::max<std::size_t>(1, down ? document.outputCount(other.node)
                                                                : document.inputCount(other.node));
        sum += rank[other.node] + double(other.port) / double(ports + 1);
        ++count;
      }
      keyed.emplace_back(count ? sum / count : double(i), id);
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < keyed.size(); ++i) {
      column[i] = keyed[i].second;
      rank[column[i]] = double(i);
    }
  }
}

} // namespace

LayoutSize estimatedNodeSize(const Document& document, NodeId id) {
  // The editor's node geometry (widgets/editor/node_item.cpp): 230 wide; a 32 title, 7 padding, 22 per row
  // of ports (inputs and outputs side by side) and a 26 summary line.
  const double rows = double(std::max(document.inputCount(id), document.outputCount(id)));
  return LayoutSize{230.0, 32.0 + 7.0 + 22.0 * rows + 26.0};
}

std::map<NodeId, Point> autoLayout(const Document& document, const LayoutOptions& options) {
  const auto sizeOf = [&](NodeId id) {
    return options.nodeSize ? options.nodeSize(id) : estimatedNodeSize(document, id);
  };

  auto layers = Layering(document).run();
  sinksLast(document, layers);
  int columnCount = 0;
  for (const auto& [id, layer] : layers)
    columnCount = std::max(columnCount, layer + 1);
  Columns columns(static_cast<std::size_t>(columnCount));
  // Start from the current vertical order, so a layout the user mostly likes changes least.
  std::vector<NodeId> byY = document.nodeIds();
  std::stable_sort(byY.begin(), byY.end(),
                   [&](NodeId a, NodeId b) { return document.at(a).position.y < document.at(b).position.y; });
  for (const NodeId id : byY)
    columns[std::size_t(layers.at(id))].push_back(id);

  // Up first: sources (all in the first column) line up with the inputs they feed.
  for (int i = 0; i < options.sweeps; ++i)
    sweep(document, columns, i % 2 == 1);
  sweep(document, columns, false);
  columns = wrapTallColumns(columns, options.maxColumnNodes);

  std::vector<double> heights;
  for (const auto& column : columns) {
    double h = 0.0;
    for (const NodeId id : column)
      h += sizeOf(id).height;
    heights.push_back(h + options.rowGap * double(column.empty() ? 0 : column.size() - 1));
  }
  const double tallest = heights.empty() ? 0.0 : *std::max_element(heights.begin(), heights.end());

  std::map<NodeId, Point> positions;
  double x = options.origin.x;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    double y = options.origin.y + (tallest - heights[c]) / 2.0; // columns centred on each other
    double width = 0.0;
    for (const NodeId id : columns[c]) {
      const LayoutSize size = sizeOf(id);
      positions[id] = Point{x, y};
      y += size.height + options.rowGap;
      width = std::max(width, size.width);
    }
    x += width + options.columnGap;
  }
  return positions;
}

} // namespace mg::graph
