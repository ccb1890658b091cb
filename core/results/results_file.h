#pragma once
// The results file: everything the Results dock shows of a run, saved beside its project ("demo.mgproj" ->
// "demo.scores.h5") so a reopened project shows it without running. One HDF5 file (the README's "Saved
// results" says the same for users):
//   root attrs: format = "merganser-scores", version = 3 (2 still reads: no node attributes on matrices,
//               embeddings and scatters; 1 too: scores only, no routing fields)
//   /<index>/             one group per model scored, "0", "1", ... in order
//     attrs: model (label), model_node, evaluate_node, parameter, parameter_value
//     /<index>/<task>/    attrs: task, examples, accuracy, loss, routing_accuracy (when measured);
//                         datasets: confusion int64 [classes, classes]; routed_to string [specialists] and
//                         routed_counts int64 [specialists] (when a router made the model)
//   /matrices/<index>/    attrs: kind, title, note, node uint64 (the node that made it; from version 3)
//                         datasets: rows, columns string [r], [c]; row_nodes uint64 [r]; values float64 [r,
//                         c]
//   /embeddings/<index>/  attrs: source, node uint64 (from version 3), kind ("param", "fisher", "data"),
//                                projection ("pca", "mds", "tsne"), seed uint64, alpha float64
//                         datasets: names string [n]; vectors float32 [n, d]; skills string [all skills],
//                                   skill_counts int64 [n]; trivial float32 [t] (t = 0 unless fisher);
//                                   nodes uint64 [n]
//   /scatters/<index>/    attrs: kind, title, note, x_label, y_label, node uint64 (from version 3)
//                         datasets: labels string [p]; x, y float64 [p]; node_counts int64 [p];
//                                   nodes uint64 [all points' nodes]
// An embedding map keeps only what rebuilds it (embed::makeEmbeddingMap is deterministic for a seed): its
// similarities, clusters and 2-D coordinates are computed again on reading.
#include <string>
#include <vector>

#include "engine/node_value.h"
#include "eval/model_scores.h"

namespace mg::results {

struct RunResults {
  std::vector<eval::ModelScores> scores;
  std::vector<engine::MatrixValue> matrices;
  std::vector<engine::EmbeddingsValue> embeddings;
  std::vector<engine::ScatterValue> scatters;

  bool empty() const { return scores.empty() && matrices.empty() && embeddings.empty() && scatters.empty(); }
};

// "dir/demo.mgproj" -> "dir/demo.scores.h5".
std::string resultsFileFor(const std::string& projectPath);

// Writes atomically (temporary file + rename): never a half-written file at `path`. Throws io::IoError
// "path: problem".
void writeResultsFile(const std::string& path, const RunResults& run);
// Throws io::IoError "path: problem" (one line) for a missing, unreadable or malformed file.
RunResults readResultsFile(const std::string& path);

// `saved` updated with `fresh`: scores as eval::mergeScores (by evaluate node); matrices, embedding maps and
// scatters made by the node of a fresh one (`producer`) are replaced, whatever their titles, so a renamed
// node leaves no stale entry. Those saved without a node (files before version 3) are replaced by a fresh
// one of the same kind and title (embedding maps: the same source, the Embedding map node's title). Kept
// entries come first, fresh ones after in their order.
RunResults mergeRuns(RunResults saved, const RunResults& fresh);

} // namespace mg::results
