#include "embed/similarity.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace mg::embed {

namespace {

void checkLengths(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size())
    throw std::invalid_argument("embeddings of different lengths (" + std::to_string(a.size()) + " and " +
                                std::to_string(b.size()) + ") cannot be compared");
}

} // namespace

double cosineSimilarity(const std::vector<float>& a, const std::vector<float>& b) {
  checkLengths(a, b);
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * double(b[i]);
    na += double(a[i]) * double(a[i]);
    nb += double(b[i]) * double(b[i]);
  }
  if (na == 0 || nb == 0) return 0;
  // Rounding can push |cos| of (near) parallel vectors past 1.
  return std::max(-1.0, std::min(1.0, dot / std::sqrt(na * nb)));
}

Matrix cosineSimilarityMatrix(const std::vector<std::vector<float>>& vectors) {
  const std::size_t n = vectors.size();
  Matrix m(n, std::vector<double>(n, 1.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      m[i][j] = m[j][i] = cosineSimilarity(vectors[i], vectors[j]);
  return m;
}

double task2vecDistance(const std::vector<float>& fa, const std::vector<float>& fb) {
  checkLengths(fa, fb);
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < fa.size(); ++i) {
    const double sum = double(fa[i]) + double(fb[i]);
    const double a = sum > 0 ? fa[i] / sum : 0.5, b = sum > 0 ? fb[i] / sum : 0.5;
    dot += a * b;
    na += a * a;
    nb += b * b;
  }
  if (na == 0 || nb == 0) return 1;
  return std::max(0.0, 1.0 - dot / std::sqrt(na * nb));
}

Matrix task2vecDistanceMatrix(const std::vector<std::vector<float>>& fishers) {
  const std::size_t n = fishers.size();
  Matrix m(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      m[i][j] = m[j][i] = task2vecDistance(fishers[i], fishers[j]);
  return m;
}

Matrix task2vecAsymmetricMatrix(const std::vector<std::vector<float>>& fishers,
                                const std::vector<float>& trivial, double alpha) {
  const Matrix symmetric = task2vecDistanceMatrix(fishers);
  const std::size_t n = fishers.size();
  Matrix m(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    const double complexity = task2vecDistance(fishers[i], trivial);
    for (std::size_t j = 0; j < n; ++j)
      m[i][j] = symmetric[i][j] - alpha * complexity;
  }
  return m;
}

std::vector<int> nearestNeighbours(const Matrix& distance) {
  const std::size_t n = distance.size();
  std::vector<int> nearest(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    double best = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      if (nearest[i] < 0 || distance[i][j] < best) {
        best = distance[i][j];
        nearest[i] = int(j);
      }
    }
  }
  return nearest;
}

} // namespace mg::embed
