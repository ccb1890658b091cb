#pragma once
// What a classifier fine-tune trains, per method (train/fine_tune.h): fresh or continued LoRA factors or IA³
// vectors of the target modules, or copies of chosen base tensors; the model's tensors computed from them
// with their autograd history (a classifier built on them carries the gradient back); and how the result is
// written. Classifiers train through their weights: W + s·B·A, W ⊙ l, or the tensors themselves.
#include <ATen/core/Tensor.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "eval/classifier.h"
#include "train/fine_tune.h"

namespace mg::train {

struct ClassifierTrainee {
  std::vector<at::Tensor> parameters; // what the optimizer changes
  std::vector<std::string> modules;   // the adapted modules (full: the trained tensors)
  // The model's tensors as they stand: the base's, with the modules that train through their weights
  // (convolutions, a full fine-tune's tensors) computed from `parameters`.
  std::function<std::map<std::string, at::Tensor>()> weights;
  bool weightsChange = false; // whether weights() follows the parameters (else the classifier is built once)
  // The dense layers' adapters, applied beside their frozen weights (null when none): no gradient of the
  // whole weight matrix is computed, which training through merged weights costs.
  eval::Classifier::DenseAdapter dense;
  // Writes the result into `folder` (a PEFT LoRA or IA³ adapter, or model.safetensors and the base's
  // config.json).
  std::function<void(const std::string& folder)> write;
};

// `tensors`: the base's tensors (float32). Throws std::invalid_argument naming the setting (no module
// matched, a rank below 1, dropout, an adapter of another method or of other modules to continue from).
ClassifierTrainee classifierTrainee(const ClassifierBase& base,
                                    const std::map<std::string, at::Tensor>& tensors,
                                    const FineTuneOptions& options, const std::string& continueFrom,
                                    const std::string& description);

} // namespace mg::train
