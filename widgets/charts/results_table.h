#pragma once
// The numbers behind the Compare view, Qt-free: one row per scored model, one column per task plus the mean,
// in absolute accuracy or normalized by each task's specialist.
//
// The specialist of a task (the reference of the normalized mode) is chosen as follows:
//   1. a model whose name *is* the task ("rot90"), else one whose name ends with the task after a separator
//      ("lora_rot90", "specialist-rot90", ".../adapters/rot90"); the name is the label's last path component
//      without a checkpoint extension, compared case-insensitively. Several matches: the best on the task.
//   2. no model is named after the task: the best model shown on that task (so its normalized score is 1).
// Normalized accuracy = accuracy ÷ the specialist's accuracy on the same task; the mean of a row is the mean
// of its per-task values in the same mode, over the tasks it was scored on. A language model's perplexity
// tasks (eval::TaskScore::perplexity) have no accuracy: they are the columns of the Perplexity mode alone.
#include <optional>
#include <string>
#include <vector>

#include "eval/model_scores.h"
#include "eval/specialist_names.h"

namespace mg::ui {

enum class ScoreMode { Absolute, Normalized, Perplexity };

// How a task's specialist was found.
enum class SpecialistRule {
  Named,     // a model named after the task
  BestShown, // no model is named after the task: the best one on it among those shown
  None       // no model scored above zero on the task
};

struct TaskSpecialist {
  std::optional<std::size_t> row;
  SpecialistRule rule = SpecialistRule::None;
};

struct ResultsTable {
  std::vector<std::string> tasks;      // every task any row was scored on, in first-seen order
  std::vector<eval::ModelScores> rows; // as given
  std::vector<std::string> names;      // per row: the short name shown (unique)
  // Per row, per task: the accuracy (0..1), or nothing when the row was not scored on that task.
  std::vector<std::vector<std::optional<double>>> accuracy;
  // Per row, per task: the perplexity of a language model's perplexity task (lower is better), or nothing.
  std::vector<std::vector<std::optional<double>>> perplexity;
  std::vector<TaskSpecialist> specialists; // per task

  bool empty() const { return rows.empty(); }
  // The tasks `mode` shows (indices into `tasks`): those some row has a value for in it.
  std::vector<std::size_t> columns(ScoreMode mode) const;
  // The value of a row on a task in `mode` (absolute: accuracy 0..1; normalized: the ratio).
  std::optional<double> value(std::size_t row, std::size_t task, ScoreMode mode) const;
  // The mean over the tasks the row was scored on, in `mode`.
  std::optional<double> mean(std::size_t row, ScoreMode mode) const;
  // The largest value or mean shown in `mode` (0 when none).
  double maxValue(ScoreMode mode) const;

private:
  std::optional<double> accuracyAt(std::size_t row, std::size_t task) const;
};

ResultsTable buildResultsTable(std::vector<eval::ModelScores> rows);

// The naming rule of step 1, shared with core (eval/specialist_names.h).
using eval::namesTask;
using eval::shortModelName;

// "model,<task>...,mean" then one line per row, over the mode's columns; values with 4 decimals (accuracy
// 0..1, the ratio or the perplexity), empty where a row has no score; fields quoted as RFC 4180 wants.
std::string csvText(const ResultsTable& table, ScoreMode mode);
// One CSV field, quoted when it holds a comma, quote or line break.
std::string csvField(const std::string& text);

} // namespace mg::ui
