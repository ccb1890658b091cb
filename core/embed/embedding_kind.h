#pragma once
// The three kinds of task embedding (issue 6) and the 2-D projections of a map, with their spellings in
// node parameters, the CLI and JSON ("param", "fisher", "data"; "pca", "mds", "tsne").
#include <optional>
#include <string>

namespace mg::embed {

enum class EmbeddingKind {
  Parameter, // an adapter's or fine-tune's task vector itself (embed/param_embedding.h)
  Fisher, // Task2Vec: the diagonal Fisher of the base model as a probe on a task (embed/fisher_embedding.h)
  Data    // the mean base-model representation of a task's inputs (embed/data_embedding.h)
};

enum class Projection { Pca, Mds, Tsne };

const char* kindName(EmbeddingKind kind);
std::optional<EmbeddingKind> parseKind(const std::string& text);
const char* projectionName(Projection projection);
std::optional<Projection> parseProjection(const std::string& text);

} // namespace mg::embed
