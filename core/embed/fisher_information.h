#pragma once
// Fisher information of a classifier's predictive distribution, the one place it is computed: the
// diagonal Fisher of every parameter (Fisher merging, spec "fisher") and, through the same identity, the
// Task2Vec embedding's closed form (embed/fisher_embedding.h).
//
// The expectation over labels is exact, not sampled: for logits z, ∂ log p_y = ∂z_y − Σ_c p_c ∂z_c, so
//   E_{y ~ p}[(∂ log p_y)²] = Σ_y p_y (∂z_y)² − (Σ_y p_y ∂z_y)²,
// the variance of the per-class gradients under p (expectedSquaredScore).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "weights/cancel.h"
#include "weights/weight_set.h"

namespace at {
class Tensor;
}
namespace mg::eval {
class Classifier;
}
namespace mg::io {
struct TaskData;
}

namespace mg::embed {

// Σ_c p_c·rows_c² − (Σ_c p_c·rows_c)², for probabilities p [N, C] and per-class gradients rows [C, K] (the
// same for every example) or [N, C, K] (each example its own): [N, K], clamped at 0 (rounding).
at::Tensor expectedSquaredScore(const at::Tensor& p, const at::Tensor& rows);

// Builds the classifier of a set of weights (eval::loadClassifier with the model's config folder).
using ClassifierFactory = std::function<std::unique_ptr<eval::Classifier>(const engine::WeightSet&)>;

struct ParameterFisherOptions {
  std::int64_t examples = 256; // evenly spaced over the task file
  const engine::CancelToken* cancel = nullptr;
  std::function<void(double fraction)> progress; // per example
};

// The diagonal Fisher of every parameter of `weights` the classifier reads, on `task`'s inputs (its own
// head for the task when it has one): F = (1/N) Σ_n E_{y ~ p(y|x_n)}[(∂ log p(y|x_n)/∂θ)²], float32, one
// tensor per parameter of the weights that received a gradient (others: no entry, i.e. 0). Throws
// std::runtime_error when the classifier has no gradients (TorchScript) or the task does not fit it.
std::map<std::string, at::Tensor> parameterFisher(const engine::WeightSet& weights,
                                                  const ClassifierFactory& makeClassifier,
                                                  const io::TaskData& task,
                                                  const ParameterFisherOptions& options = {});

// RegMean's statistics: for each dense layer of the classifier (eval::Classifier::hiddenStates), the Gram
// matrix XᵀX/N of the inputs it reads on `examples` of the task's inputs, under the layer's weight name
// (layers.K.weight, head.weight or heads.<task>.weight). Throws std::runtime_error naming what is missing.
std::map<std::string, at::Tensor> inputGrams(const engine::WeightSet& weights,
                                             const ClassifierFactory& makeClassifier,
                                             const io::TaskData& task, std::int64_t examples,
                                             const engine::CancelToken* cancel = nullptr);

} // namespace mg::embed
