#pragma once
// Internal to core/search: what AdaMerging on classifiers (adamerging.h) and on language models
// (lm_adamerging.h) share — the task vectors τᵢ = θᵢ − θ0, and Adam on the coefficients λ with the paper's
// settings and clipping to [0, 1]. Each caller supplies only the entropy and its gradient ∂H/∂λ.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "search/adamerging.h"

namespace mg::search::detail {

struct TaskVectors {
  std::vector<io::TensorInfo> infos;
  std::map<std::string, at::Tensor> base;
  std::vector<std::string> varying;                    // tensors some model changes, in the base's order
  std::map<std::string, std::vector<at::Tensor>> taus; // per varying tensor, one per model
};

// Throws std::runtime_error naming the tensor when a model lacks one of the base's or its shape differs.
TaskVectors loadTaskVectors(const engine::WeightSetPtr& base,
                            const std::vector<engine::WeightSetPtr>& models);

// The coefficient of model i for tensor `g` (an index into `varying`) in λ [models, groups].
inline std::int64_t coefficientGroup(const AdaMergingOptions& options, std::size_t g) {
  return options.granularity == Granularity::Layer ? std::int64_t(g) : 0;
}

// A batch of one task's `count` inputs: `batchSize` indices drawn with replacement, or all of them in order
// when the batch is at least as large as the task (full-batch descent).
at::Tensor batchIndices(std::int64_t count, std::int64_t batchSize, at::Generator& generator);

// The mean entropy at coefficients λ [models, groups] (float64, no autograd), with ∂H/∂λ (same shape) in
// `gradient`; draws its batches from `generator`.
using EntropyObjective =
    std::function<double(const at::Tensor& lambda, at::Generator& generator, at::Tensor& gradient)>;

// Adam from λ = options.initial (lr options.learningRate, β = 0.9, 0.999, ε = 1e-8), λ clipped to [0, 1]
// after every step, options.steps steps; cancel and progress as AdaMergingOptions says.
AdaMergingResult descend(const TaskVectors& vectors, std::size_t models, const AdaMergingOptions& options,
                         const EntropyObjective& objective);

} // namespace mg::search::detail
