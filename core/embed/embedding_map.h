#pragma once
// An embedding map: points (tasks, adapters, fine-tunes) with their embeddings, pairwise similarities, a
// hierarchical clustering and 2-D coordinates from every projection, which is what the Embedding map node
// outputs (engine::EmbeddingsValue), `merganser-cli embed` prints and the map view draws. Qt- and torch-free.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "embed/clustering.h"
#include "embed/embedding_kind.h"
#include "embed/projection.h"
#include "embed/similarity.h"

namespace mg::embed {

struct EmbeddingMap {
  EmbeddingKind kind = EmbeddingKind::Parameter;
  std::vector<std::string> names;               // one per point
  std::vector<std::vector<std::string>> skills; // per point: a task's skills (empty for models/adapters)
  std::vector<std::vector<float>> vectors;      // one per point, all the same length

  // "cosine" (param, data) or "task2vec" (fisher).
  std::string metric;
  // n × n. cosine: similarity = cos, distance = 1 − cos. task2vec: distance = the symmetric Task2Vec
  // distance, similarity = 1 − distance.
  Matrix similarity, distance;
  // task2vec only: asymmetric[a][b] = d(a→b) = distance[a][b] − alpha · d(a, trivial); empty otherwise.
  Matrix asymmetric;
  std::vector<float> trivial; // task2vec only: the trivial task's embedding
  double alpha = 0;

  std::vector<int> nearest;  // each point's nearest other point by distance (-1 when alone)
  Dendrogram dendrogram;     // average linkage on distance
  std::vector<int> clusters; // cluster of each point, cut at the largest gap in merge heights
  int clusterCount = 0;

  // 2-D coordinates of every point, by projectionName ("pca", "mds", "tsne"), all computed so that a view
  // can switch live; `projection` is the one asked for. PCA is of the unit-length vectors; MDS and t-SNE
  // are of the chord distance sqrt(2 − 2 cos) of the cosine metric (the Euclidean distance of unit
  // vectors) or of the Task2Vec distance.
  std::map<std::string, std::vector<Point2>> coordinates;
  Projection projection = Projection::Pca;
  std::uint64_t seed = 0; // t-SNE's starting layout (MapOptions::seed), so a saved map rebuilds identically

  std::size_t size() const { return names.size(); }
  const std::vector<Point2>& shown() const { return coordinates.at(projectionName(projection)); }
};

struct MapOptions {
  Projection projection = Projection::Pca;
  std::uint64_t seed = 0; // t-SNE's starting layout
  double alpha = 0.15;    // weight of the trivial task in the asymmetric Task2Vec distance
};

// Computes similarities, clustering, nearest neighbours and the projections of `vectors` (fisher: with the
// Task2Vec distances; `trivial` gives the asymmetric one when not empty). Throws std::invalid_argument
// when names and vectors differ in number or vectors in length.
EmbeddingMap makeEmbeddingMap(EmbeddingKind kind, std::vector<std::string> names,
                              std::vector<std::vector<float>> vectors, const MapOptions& options = {},
                              std::vector<float> trivial = {});

// "rotate: nearest flip (similarity 0.42)", one line per point, for node facts and the CLI.
std::vector<std::string> nearestNeighbourLines(const EmbeddingMap& map);

} // namespace mg::embed
