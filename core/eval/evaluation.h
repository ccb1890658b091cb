#pragma once
// Per-task scores of a classifier: accuracy, mean cross-entropy loss and the confusion matrix, computed in
// batches with progress and cancel between batches. The model is materialized once by its Classifier;
// each batch runs on LibTorch's intra-op threads (all cores by default), so one evaluation uses the whole
// machine while progress and cancel stay on the calling thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "weights/cancel.h"
#include "io/task_file.h"

namespace mg::eval {

class Classifier;

struct TaskScore {
  std::string task;
  std::int64_t examples = 0;
  double accuracy = 0;
  double loss = 0;                                  // mean cross-entropy
  std::vector<std::vector<std::int64_t>> confusion; // [true class][predicted class]
  // Set when a router (core/route) made the model: the specialists it chose among, how many of the task's
  // examples went to each (their largest weight): this task's row of the routing confusion, and how often
  // that was the task's own specialist (the adapter named after it; nullopt when the task has none).
  std::vector<std::string> routedTo;
  std::vector<std::int64_t> routedCounts;
  std::optional<double> routingAccuracy;
  // A language model on a text task (lm_eval/text_evaluation.h): the task's kind ("perplexity",
  // "multiple_choice", "generation"; empty for a classifier's task) and its own numbers. `accuracy` holds
  // acc or exact match; a perplexity task has no accuracy (0) and is charted apart, lower being better.
  std::string textKind;
  std::optional<double> perplexity;
  std::optional<double> accuracyNorm;
  std::int64_t tokens = 0;

  bool hasAccuracy() const { return textKind != "perplexity"; }
};

struct EvaluationOptions {
  std::int64_t batchSize = 256;
  std::int64_t firstExample = 0; // skip the task's examples before this one
  std::int64_t maxExamples = 0;  // 0: every example from firstExample on; else at most maxExamples of them
  int threads = 0;               // LibTorch intra-op threads while evaluating; 0: one per core
  const engine::CancelToken* cancel = nullptr;
  // Called on the calling thread after every batch.
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

// The counts a task's scores are made of, for a part of its examples: parts of one task (the ranks of an MPI
// job each scoring some, eval/evaluation_over_ranks.h) add up to exactly the whole task's score.
struct TaskTally {
  std::string task;
  std::int64_t examples = 0, correct = 0;
  std::vector<double> batchLossSums; // the cross-entropy summed over each batch, in order
  std::vector<std::vector<std::int64_t>> confusion;

  void add(const TaskTally& later); // `later`: the examples right after these
  TaskScore score() const;          // the loss summed batch after batch, as one process sums it
};

// Throws std::runtime_error when the task's classes or input shape do not fit the model; engine::Cancelled.
TaskTally tallyTask(const Classifier& model, const io::TaskData& task, const EvaluationOptions& options = {});

// tallyTask(...).score().
TaskScore evaluate(const Classifier& model, const io::TaskData& task, const EvaluationOptions& options = {});

} // namespace mg::eval
