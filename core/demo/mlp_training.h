#pragma once
// Training the demo's MLP classifiers on the CPU with LibTorch: a base model, LoRA specialists of it and
// full fine-tunes. Parameters carry the checkpoint names eval::MlpClassifier reads (layers.N.weight/bias,
// head.weight/bias), so what is trained here is written and evaluated without renaming.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include "weights/cancel.h"

namespace mg::demo {

struct MlpLayout {
  std::int64_t inputSize = 784;
  std::vector<std::int64_t> hiddenSizes;
  std::int64_t numLabels = 10;
};

using Parameters = std::map<std::string, at::Tensor>; // checkpoint name -> tensor

// A LoRA update of one linear module ("layers.0"): W + scaling · B·A, A [r, in], B [out, r].
struct LoraFactors {
  at::Tensor a, b;
};
struct Lora {
  std::map<std::string, LoraFactors> modules;
  int rank = 8;
  double alpha = 16;
  double scaling() const { return alpha / rank; }
};

// He-initialized weights and zero biases.
Parameters initMlp(const MlpLayout& layout, at::Generator& generator);

// Logits [B, classes] for inputs [B, inputSize]; `lora` (may be null) adds its updates to the modules it
// names; `features`, when given, receives the last hidden layer's activations.
at::Tensor mlpForward(const Parameters& parameters, const Lora* lora, const at::Tensor& inputs,
                      at::Tensor* features = nullptr);

struct TrainingData {
  at::Tensor inputs; // [N, inputSize] float
  at::Tensor labels; // [N] int64
};

struct TrainOptions {
  std::int64_t steps = 100;
  std::int64_t batchSize = 128;
  double learningRate = 1e-3;
  const engine::CancelToken* cancel = nullptr; // checked every step
  std::function<void(double fraction)> progress;
};

// The training loop every demo model shares: Adam over `trainable` on cross-entropy of `logitsOf(inputs)`,
// minibatches drawn with `generator` so a seed gives the same model; returns the mean loss of the last tenth
// of the steps.
double trainTensors(const std::vector<at::Tensor>& trainable,
                    const std::function<at::Tensor(const at::Tensor&)>& logitsOf, const TrainingData& data,
                    const TrainOptions& options, at::Generator& generator);

// Adam on the named parameters (the others stay fixed); returns the mean loss of the last tenth of the steps.
double trainParameters(Parameters& parameters, const std::vector<std::string>& trainable,
                       const TrainingData& data, const TrainOptions& options, at::Generator& generator);

// A fresh LoRA on `modules` of a frozen model (A He-initialized, B zero, as PEFT does), trained; returns it.
Lora trainLora(const Parameters& base, const std::vector<std::string>& modules, int rank, double alpha,
               const TrainingData& data, const TrainOptions& options, at::Generator& generator);

// The names of the trunk's linear modules ("layers.0", ...), which specialists adapt; the head stays fixed.
std::vector<std::string> trunkModules(const MlpLayout& layout);

// Accuracy of a model (with an optional LoRA) on data, in batches without gradients.
double accuracy(const Parameters& parameters, const Lora* lora, const TrainingData& data);

} // namespace mg::demo
