#pragma once
// What evaluation hands to the charts and the results file: a model's per-task scores with the nodes they
// came from. Plain data; saved by results/results_file.h.
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

// `saved` updated with `fresh`: entries of an evaluate node present in `fresh` are replaced by fresh's,
// others are kept, fresh entries keep their order after the kept ones.
std::vector<ModelScores> mergeScores(std::vector<ModelScores> saved, const std::vector<ModelScores>& fresh);

} // namespace mg::eval
