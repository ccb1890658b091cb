#pragma once
// Training the benchmark zoo's CNN classifiers (eval/cnn_classifier.h's MerganserCNN) on the CPU: a base
// pre-trained with one head, a frozen head per task fitted on its features, and specialists that adapt the
// trunk (convolutions and hidden layers) under their task's head, fully or through LoRA factors (PEFT's
// layout: a convolution's A [r, in, k, k], B [out, r, 1, 1]). Parameters carry the checkpoint's names
// (convs.N.*, layers.N.*, head.*, heads.<task>.*), so what is trained here is written without renaming.
#include <cstdint>
#include <string>
#include <vector>

#include "demo/mlp_training.h"

namespace mg::demo {

struct CnnLayout {
  std::int64_t imageSize = 28; // square, one channel
  std::vector<std::int64_t> channels;
  std::int64_t kernelSize = 3;
  std::vector<std::int64_t> hiddenSizes;
  std::int64_t numLabels = 10;
};

// He-initialized convolutions, hidden layers and the pre-training head (head.*); zero biases.
Parameters initCnn(const CnnLayout& layout, at::Generator& generator);

// The modules specialists adapt: "convs.0", ..., "layers.0", ...
std::vector<std::string> cnnTrunkModules(const CnnLayout& layout);
// Their tensors (module.weight, module.bias).
std::vector<std::string> cnnTrunkTensors(const CnnLayout& layout);

// Logits [B, classes] of flat inputs [B, size²] through head `head` ("" for head.*, else heads.<head>.*);
// `lora` (may be null) adds its updates to the modules it names.
at::Tensor cnnForward(const Parameters& parameters, const Lora* lora, const at::Tensor& inputs,
                      const std::string& head = {});
// The features the heads read [B, last hidden size], without gradients.
at::Tensor cnnFeatures(const Parameters& parameters, const at::Tensor& inputs);

// Adam on the named tensors through head `head`; returns the mean loss of the last tenth of the steps.
double trainCnn(Parameters& parameters, const std::vector<std::string>& trainable, const std::string& head,
                const TrainingData& data, const TrainOptions& options, at::Generator& generator);

// A fresh LoRA (A uniform as PEFT initializes it, B zero) on `modules` of the frozen `base`, trained
// through head `head`.
Lora trainCnnLora(const Parameters& base, const std::vector<std::string>& modules, int rank, double alpha,
                  const std::string& head, const TrainingData& data, const TrainOptions& options,
                  at::Generator& generator);

// Fits heads.<task>.weight [numLabels, features] / .bias on the frozen base's features of `data` (only the
// first `classes` rows are trained: a task with fewer classes gets zero weights and a bias of -10⁴ on the
// others, so they never win) and adds them to `base`.
void fitHead(Parameters& base, const std::string& task, std::int64_t classes, const TrainingData& data,
             const TrainOptions& options, at::Generator& generator);

// Accuracy through head `head`, in batches without gradients.
double cnnAccuracy(const Parameters& parameters, const Lora* lora, const TrainingData& data,
                   const std::string& head);

} // namespace mg::demo
