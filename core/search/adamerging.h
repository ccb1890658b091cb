#pragma once
// AdaMerging (Yang et al., ICLR 2024): task arithmetic θ = θ0 + Σᵢ λᵢ τᵢ whose coefficients are learned
// without labels, by minimising the Shannon entropy of the merged model's predictions on unlabelled inputs
// of every task (each through the task's own head when the model has per-task heads). Task-wise: one λᵢ per
// model; layer-wise: one λᵢₗ per model and tensor. As in the paper: λ starts at 0.3, Adam (lr 1e-3,
// β = 0.9, 0.999), a batch of 16 inputs per task per step, λ clipped to [0, 1] after every step.
//
// The merged weights are computed with autograd (eval::Classifier::differentiableLogits), so the gradient of
// the entropy reaches the coefficients. Tensors that no model changes (frozen heads) take no coefficient.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "weights/cancel.h"
#include "weights/weight_set.h"

namespace at {
class Tensor;
}
namespace mg::eval {
class Classifier;
}

namespace mg::search {

enum class Granularity { Task, Layer };

struct UnlabelledTask {
  std::string name;          // picks heads.<name> when the model has it
  std::vector<float> inputs; // row-major [N, example...]
  std::vector<std::int64_t> shape;
};

struct AdaMergingOptions {
  Granularity granularity = Granularity::Layer;
  int steps = 100;
  double learningRate = 1e-3;
  double initial = 0.3;
  std::int64_t batchSize = 16; // inputs per task per step, drawn with replacement; >= a task's size: all
  std::uint64_t seed = 0;
  const engine::CancelToken* cancel = nullptr;
  // After every step: the step (1-based) and the mean entropy of its batches.
  std::function<void(int step, double entropy)> progress;
};

struct AdaMergingResult {
  // The tensors with coefficients of their own (layer-wise), in the models' tensor order; empty task-wise.
  std::vector<std::string> tensors;
  // [model][tensor] layer-wise, [model][0] task-wise.
  std::vector<std::vector<double>> coefficients;
  std::vector<double> entropy; // per step
};

using ClassifierFactory = std::function<std::unique_ptr<eval::Classifier>(const engine::WeightSetPtr&)>;

// Throws std::invalid_argument when there are no models or tasks, std::runtime_error naming the tensor
// when a model lacks one of the base's or shapes differ, and what the classifier throws (a model without
// gradients); engine::Cancelled between steps.
AdaMergingResult adaMerge(const engine::WeightSetPtr& base, const std::vector<engine::WeightSetPtr>& models,
                          const std::vector<UnlabelledTask>& tasks, const ClassifierFactory& makeClassifier,
                          const AdaMergingOptions& options = {});

} // namespace mg::search
