#pragma once
// The numbers behind the Sweep view, Qt-free: the scored points of a sweep (ModelScores whose `parameter` is
// set) gathered into one curve per task and a mean curve over the parameter's value.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eval/model_scores.h"

namespace mg::ui {

struct SweepCurves {
  std::uint64_t sweepNode = 0; // the node that ran the sweep (ModelScores::evaluateNode)
  std::string parameter;       // "lambda"
  std::vector<double> x;       // the parameter's values, ascending
  std::vector<std::string> tasks;
  // values[task][point]: accuracy 0..1, or nothing when that point has no score for the task.
  std::vector<std::vector<std::optional<double>>> values;
  std::vector<std::optional<double>> mean; // per point, over the tasks it was scored on
  std::vector<std::uint64_t> modelNodes;   // per point, the model node scored (0: unknown)

  // A short title: "lambda sweep (node 7)".
  std::string title() const;
};

// One SweepCurves per sweep (by node, then parameter) in first-seen order; entries without a parameter are
// not sweep points and are left out. Points with the same value keep the last one.
std::vector<SweepCurves> gatherSweeps(const std::vector<eval::ModelScores>& results);

// "<parameter>,<task>...,mean" then one line per point, accuracy with 4 decimals.
std::string sweepCsvText(const SweepCurves& sweep);

} // namespace mg::ui
