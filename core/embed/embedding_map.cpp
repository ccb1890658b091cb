#include "embed/embedding_map.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mg::embed {

namespace {

std::vector<std::vector<float>> unitLength(std::vector<std::vector<float>> vectors) {
  for (auto& v : vectors) {
    double norm = 0;
    for (const float x : v)
      norm += double(x) * double(x);
    norm = std::sqrt(norm);
    if (norm > 0)
      for (float& x : v)
        x = float(x / norm);
  }
  return vectors;
}

} // namespace

EmbeddingMap makeEmbeddingMap(EmbeddingKind kind, std::vector<std::string> names,
                              std::vector<std::vector<float>> vectors, const MapOptions& options,
                              std::vector<float> trivial) {
  if (names.size() != vectors.size())
    throw std::invalid_argument(std::to_string(names.size()) + " names for " +
                                std::to_string(vectors.size()) + " embeddings");
  for (const auto& v : vectors)
    if (v.size() != vectors.front().size())
      throw std::invalid_argument("embeddings of different lengths cannot be mapped together");
  EmbeddingMap map;
  map.kind = kind;
  map.names = std::move(names);
  map.vectors = std::move(vectors);
  map.skills.resize(map.names.size());
  map.projection = options.projection;
  map.seed = options.seed;
  const std::size_t n = map.names.size();

  Matrix projected; // the distance MDS and t-SNE see
  if (kind == EmbeddingKind::Fisher) {
    map.metric = "task2vec";
    map.distance = task2vecDistanceMatrix(map.vectors);
    map.similarity = map.distance;
    for (auto& row : map.similarity)
      for (auto& d : row)
        d = 1.0 - d;
    if (!trivial.empty()) {
      map.alpha = options.alpha;
      map.asymmetric = task2vecAsymmetricMatrix(map.vectors, trivial, options.alpha);
      map.trivial = std::move(trivial);
    }
    projected = map.distance;
  } else {
    map.metric = "cosine";
    map.similarity = cosineSimilarityMatrix(map.vectors);
    map.distance = map.similarity;
    projected = map.similarity;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        map.distance[i][j] = i == j ? 0.0 : 1.0 - map.similarity[i][j];
        projected[i][j] = i == j ? 0.0 : std::sqrt(std::max(0.0, 2.0 - 2.0 * map.similarity[i][j]));
      }
  }
  map.nearest = nearestNeighbours(map.distance);
  map.dendrogram = averageLinkage(map.distance);
  map.clusterCount = clusterCountAtLargestGap(map.dendrogram, int(n));
  map.clusters = cutTree(map.dendrogram, int(n), map.clusterCount);

  map.coordinates[projectionName(Projection::Pca)] = pcaProjection(unitLength(map.vectors));
  map.coordinates[projectionName(Projection::Mds)] = mdsProjection(projected);
  TsneOptions tsne;
  tsne.seed = options.seed;
  map.coordinates[projectionName(Projection::Tsne)] = tsneProjection(projected, tsne);
  return map;
}

std::vector<std::string> nearestNeighbourLines(const EmbeddingMap& map) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < map.size(); ++i) {
    const int j = map.nearest[i];
    if (j < 0) {
      lines.push_back(map.names[i] + ": no other point");
      continue;
    }
    char value[32];
    std::snprintf(value, sizeof value, "%.3f", map.similarity[i][std::size_t(j)]);
    lines.push_back(map.names[i] + ": nearest " + map.names[std::size_t(j)] + " (similarity " + value + ")");
  }
  return lines;
}

} // namespace mg::embed
