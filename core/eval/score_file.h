#pragma once
// Evaluation results saved beside a project ("demo.mgproj" -> "demo.scores.h5"), so charts come back when
// the project is reopened without running anything. HDF5 layout (see ../shared/spec/formats.md):
//   root attrs: format = "merganser-scores", version = 2 (1 still reads: it lacks the routing fields)
//   /<index>/            one group per model scored, "0", "1", ... in order
//     attrs: model (label), model_node, evaluate_node, parameter, parameter_value
//     /<index>/<task>/   attrs: task, examples, accuracy, loss, routing_accuracy (when measured);
//                        datasets: confusion int64 [classes, classes]; routed_to string [specialists] and
//                        routed_counts int64 [specialists] (when a router made the model)
// engine/run_file.h adds the groups matrices, embeddings and scatters to the same file; this reader
// ignores them.
#include <cstdint>
#include <string>
#include <vector>

#include "eval/evaluation.h"

namespace mg::eval {

struct ModelScores {
  std::string model;              // the label shown in charts
  std::uint64_t modelNode = 0;    // the graph node whose model was scored (0: unknown)
  std::uint64_t evaluateNode = 0; // the Evaluate (or Sweep) node that produced the scores
  std::string parameter;          // a Sweep point: the parameter varied, else empty
  double parameterValue = 0;
  std::vector<TaskScore> scores;
};

// "dir/demo.mgproj" -> "dir/demo.scores.h5".
std::string scoreFileFor(const std::string& projectPath);

// Writes atomically (temporary file + rename): never a half-written file at `path`. Throws
// std::runtime_error "path: problem".
void writeScoreFile(const std::string& path, const std::vector<ModelScores>& results);
// Throws std::runtime_error "path: problem" for a missing, unreadable or malformed file.
std::vector<ModelScores> readScoreFile(const std::string& path);

// `saved` updated with `fresh`: entries of an evaluate node present in `fresh` are replaced by fresh's,
// others are kept, fresh entries keep their order after the kept ones.
std::vector<ModelScores> mergeScores(std::vector<ModelScores> saved, const std::vector<ModelScores>& fresh);

} // namespace mg::eval
