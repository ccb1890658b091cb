#pragma once
// Hierarchical clustering of embeddings by average linkage (UPGMA), for ordering a similarity heatmap and
// colouring a map by cluster. Deterministic: ties merge the pair with the lowest indices first.
#include <vector>

#include "embed/similarity.h"

namespace mg::embed {

// One merge, numbered like SciPy's linkage: points are 0..n-1, the cluster made by merge k is n + k.
struct Merge {
  int a = 0, b = 0;  // the clusters merged (a < b)
  double height = 0; // their average distance
  int size = 0;      // points in the new cluster
};

struct Dendrogram {
  std::vector<Merge> merges; // n − 1 merges, heights non-decreasing
  std::vector<int> order;    // the points in leaf order: members of every cluster are contiguous
};

// Throws std::invalid_argument when `distance` is not square.
Dendrogram averageLinkage(const Matrix& distance);

// A cluster label per point (0, 1, ... by first appearance in point order) after cutting the tree into
// `clusters` clusters (clamped to 1..n).
std::vector<int> cutTree(const Dendrogram& tree, int points, int clusters);

// The number of clusters where the merge heights jump most (the largest gap between consecutive merges);
// 1 for fewer than three points or when every merge is at the same height.
int clusterCountAtLargestGap(const Dendrogram& tree, int points);

} // namespace mg::embed
