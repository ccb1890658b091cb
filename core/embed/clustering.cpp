#include "embed/clustering.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace mg::embed {

Dendrogram averageLinkage(const Matrix& distance) {
  const int n = int(distance.size());
  for (const auto& row : distance)
    if (int(row.size()) != n) throw std::invalid_argument("the distance matrix is not square");
  Dendrogram tree;
  if (n == 0) return tree;
  // Active clusters: their id (point or n + merge), their points, and the average distances between them.
  std::vector<int> id(n);
  std::vector<std::vector<int>> members(n);
  for (int i = 0; i < n; ++i) {
    id[i] = i;
    members[i] = {i};
  }
  Matrix d = distance;
  std::vector<bool> alive(n, true);
  for (int step = 0; step + 1 < n; ++step) {
    int bi = -1, bj = -1;
    for (int i = 0; i < n; ++i) {
      if (!alive[i]) continue;
      for (int j = i + 1; j < n; ++j) {
        if (!alive[j]) continue;
        if (bi < 0 || d[i][j] < d[bi][bj]) {
          bi = i;
          bj = j;
        }
      }
    }
    const double sizeI = double(members[bi].size()), sizeJ = double(members[bj].size());
    Merge merge{std::min(id[bi], id[bj]), std::max(id[bi], id[bj]), d[bi][bj], int(sizeI + sizeJ)};
    // Heights of average linkage never decrease; rounding may make them look like they do.
    if (!tree.merges.empty()) merge.height = std::max(merge.height, tree.merges.back().height);
    tree.merges.push_back(merge);
    for (int k = 0; k < n; ++k) {
      if (!alive[k] || k == bi || k == bj) continue;
      d[bi][k] = d[k][bi] = (sizeI * d[bi][k] + sizeJ * d[bj][k]) / (sizeI + sizeJ);
    }
    members[bi].insert(members[bi].end(), members[bj].begin(), members[bj].end());
    alive[bj] = false;
    id[bi] = n + step;
  }
  // Leaf order: walk the tree, the lower-numbered child first.
  std::function<void(int)> walk = [&](int cluster) {
    if (cluster < n) {
      tree.order.push_back(cluster);
      return;
    }
    const Merge& m = tree.merges[std::size_t(cluster - n)];
    walk(m.a);
    walk(m.b);
  };
  walk(n == 1 ? 0 : 2 * n - 2);
  return tree;
}

std::vector<int> cutTree(const Dendrogram& tree, int points, int clusters) {
  clusters = std::max(1, std::min(clusters, points));
  // Union the points of the first (points − clusters) merges.
  std::vector<int> parent(std::size_t(2 * std::max(points, 1)));
  for (std::size_t i = 0; i < parent.size(); ++i)
    parent[i] = int(i);
  std::function<int(int)> root = [&](int x) {
    return parent[std::size_t(x)] == x ? x : parent[std::size_t(x)] = root(parent[std::size_t(x)]);
  };
  for (int k = 0; k < points - clusters && k < int(tree.merges.size()); ++k) {
    const Merge& m = tree.merges[std::size_t(k)];
    parent[std::size_t(root(m.a))] = points + k;
    parent[std::size_t(root(m.b))] = points + k;
  }
  std::vector<int> labels(std::size_t(points), -1), labelOfRoot(parent.size(), -1);
  int next = 0;
  for (int i = 0; i < points; ++i) {
    const int r = root(i);
    if (labelOfRoot[std::size_t(r)] < 0) labelOfRoot[std::size_t(r)] = next++;
    labels[std::size_t(i)] = labelOfRoot[std::size_t(r)];
  }
  return labels;
}

int clusterCountAtLargestGap(const Dendrogram& tree, int points) {
  if (points < 3 || tree.merges.size() < 2) return 1;
  double bestGap = 0;
  int clusters = 1;
  for (std::size_t k = 0; k + 1 < tree.merges.size(); ++k) {
    const double gap = tree.merges[k + 1].height - tree.merges[k].height;
    if (gap > bestGap) {
      bestGap = gap;
      clusters = points - int(k) - 1; // after merge k (0-based), points − k − 1 clusters remain
    }
  }
  return clusters;
}

} // namespace mg::embed
