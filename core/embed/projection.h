#pragma once
// 2-D pictures of embeddings: PCA of the vectors, classical (Torgerson) MDS of a distance matrix, and exact
// t-SNE (van der Maaten & Hinton 2008) of a distance matrix. All are deterministic: eigenvector signs are
// fixed (each component's largest coordinate is positive) and t-SNE starts from a seeded layout.
#include <cstdint>
#include <vector>

#include "embed/similarity.h"

namespace mg::embed {

struct Point2 {
  double x = 0, y = 0;
};

// The first two principal components' scores of the points (centred; computed on the n × n Gram matrix, so
// long vectors are fine). Fewer than two meaningful components give zeros on that axis.
std::vector<Point2> pcaProjection(const std::vector<std::vector<float>>& vectors);

// Classical MDS: the top two eigenvectors of −½ J D² J scaled by the square roots of their eigenvalues
// (negative eigenvalues, from non-Euclidean distances, give 0).
std::vector<Point2> mdsProjection(const Matrix& distance);

struct TsneOptions {
  double perplexity = 0; // 0: min(30, (n − 1) / 3), at least 1
  int iterations = 1000;
  std::uint64_t seed = 0;
};

// Exact t-SNE on the squared distances (O(n²) per iteration: meant for up to a few hundred points). Fewer
// than four points fall back to MDS, which already shows them faithfully.
std::vector<Point2> tsneProjection(const Matrix& distance, const TsneOptions& options = {});

} // namespace mg::embed
