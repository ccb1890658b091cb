#pragma once
// The loop every fine-tune runs (classifiers and language models alike): AdamW steps on micro-batches drawn
// from seeded epochs over the training examples (gradient accumulation, the schedule, gradients clipped to
// norm 1), the validation score every `evaluateEvery` steps (and before the first, and after the last), the
// best parameters kept, early stopping after `patience` validations without a better score, and cancel
// keeping the best so far.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "train/fine_tune.h"

namespace mg::train {

struct TrainingLoop {
  std::vector<at::Tensor> parameters; // what trains (the loop sets requires_grad, and clears it at the end)
  std::int64_t examples = 0;          // training examples, indices 0..examples-1
  // The mean loss of a micro-batch of example indices, recording autograd (the loop calls backward).
  std::function<at::Tensor(const std::vector<std::int64_t>& batch)> loss;
  // The validation score (higher is better), called without autograd; null when there is no validation.
  std::function<double()> validate;
};

// Runs the loop; on return `parameters` hold the best step's values (the last step's without validation).
// Fills the result's curve, bestStep, bestValidation, stepsRun, stoppedEarly, cancelled and seconds; the
// caller writes the output and the example counts. Throws what `loss` and `validate` throw.
FineTuneResult runTrainingLoop(const TrainingLoop& loop, const FineTuneOptions& options,
                               const TrainingEvents& events);

// Optimizer steps the options ask for: `steps`, or epochs × ceil(examples / (batch × accumulation)).
std::int64_t optimizerSteps(const FineTuneOptions& options, std::int64_t examples);

} // namespace mg::train
