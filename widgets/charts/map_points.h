#pragma once
// What the embedding map view draws, worked out from an embed::EmbeddingMap without any widget: the colour
// group of each point (its cluster, or its skills), the hover text (the point and its nearest neighbours)
// and the similarity matrix in clustering order. Kept apart from the chart so tests can check it directly.
#include <QString>
#include <QStringList>

#include <vector>

#include "embed/embedding_map.h"
#include "engine/node_value.h"

namespace mg::ui {

enum class MapColouring { Cluster, Skill };

struct MapGroups {
  QStringList names;        // one per group, the legend's entries
  std::vector<int> groupOf; // per point
};

// Cluster: "cluster 1", "cluster 2"... by EmbeddingMap::clusters. Skill: the point's skills joined with "+"
// ("rotate+invert"), "no skill" for a point without any (a model, or a task with no transform).
MapGroups mapGroups(const embed::EmbeddingMap& map, MapColouring colouring);

// "rotate — cluster 2, skills rotate\nnearest: flip 0.93, invert 0.41, Fine-tune invert 0.12": the point
// and up to `neighbours` others by decreasing similarity.
QString mapPointText(const embed::EmbeddingMap& map, int point, int neighbours = 3);

// The similarity matrix with rows and columns in the dendrogram's leaf order (members of a cluster next to
// each other), each row naming the node behind its point: the heatmap beside the map.
engine::MatrixValue similarityInClusterOrder(const engine::EmbeddingsValue& value);

// "param", "fisher", "data" as the view's pickers say them.
QString kindTitle(embed::EmbeddingKind kind);
QString projectionTitle(const std::string& projection);

} // namespace mg::ui
