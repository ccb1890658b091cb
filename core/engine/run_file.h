#pragma once
// Everything the Results dock shows of a run, saved beside a project in the score file ("demo.mgproj" ->
// "demo.scores.h5", eval::scoreFileFor) so a reopened project shows it without running: the scores
// (eval/score_file.h's model groups) and, in version 2, these groups at the root:
//   /matrices/<index>/    attrs: kind, title, note
//                         datasets: rows, columns string [r], [c]; row_nodes uint64 [r]; values float64 [r,
//                         c]
//   /embeddings/<index>/  attrs: source, kind ("param", "fisher", "data"), projection ("pca", "mds", "tsne"),
//                                seed uint64, alpha float64
//                         datasets: names string [n]; vectors float32 [n, d]; skills string [all skills],
//                                   skill_counts int64 [n]; trivial float32 [t] (t = 0 unless fisher);
//                                   nodes uint64 [n]
//   /scatters/<index>/    attrs: kind, title, note, x_label, y_label
//                         datasets: labels string [p]; x, y float64 [p]; node_counts int64 [p];
//                                   nodes uint64 [all points' nodes]
// An embedding map keeps only what rebuilds it (embed::makeEmbeddingMap is deterministic for a seed): its
// similarities, clusters and 2-D coordinates are computed again on reading. A version 1 file (scores
// only) reads with no matrices, embeddings or scatters.
#include <string>
#include <vector>

#include "engine/graph/node_value.h"
#include "eval/score_file.h"

namespace mg::engine {

struct SavedRun {
  std::vector<eval::ModelScores> scores;
  std::vector<MatrixValue> matrices;
  std::vector<EmbeddingsValue> embeddings;
  std::vector<ScatterValue> scatters;

  bool empty() const { return scores.empty() && matrices.empty() && embeddings.empty() && scatters.empty(); }
};

// Writes atomically (temporary file + rename): never a half-written file at `path`. Throws io::IoError
// "path: problem".
void writeRunFile(const std::string& path, const SavedRun& run);
// Throws io::IoError "path: problem" (one line) for a missing, unreadable or malformed file.
SavedRun readRunFile(const std::string& path);

// `saved` updated with `fresh`: scores as eval::mergeScores (by evaluate node); matrices and scatters of the
// same kind and title as a fresh one, and embedding maps of the same source (the Embedding map node's
// title) as a fresh one, are replaced. Kept entries come first, fresh ones after in their order.
SavedRun mergeRuns(SavedRun saved, const SavedRun& fresh);

} // namespace mg::engine
