#pragma once
// Internal to core/eval (included by its LibTorch sources only): the fully connected part shared by the
// built-in classifiers, named as in the checkpoint: layers.N.weight [out, in] / layers.N.bias with ReLU
// after each, then head.weight [classes, in] / head.bias, or heads.<task>.weight/bias for that task.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "weights/weight_set.h"

namespace mg::eval::detail {

// Loads named tensors once, checking their shapes; collects every problem so that one error names them all.
class ParameterLoader {
public:
  explicit ParameterLoader(const engine::WeightSet& weights) : weights_(weights) {}
  // The tensor, or an undefined one (and a recorded problem) when it is missing or shaped otherwise.
  at::Tensor fetch(const std::string& name, const std::vector<std::int64_t>& expected);
  // Throws std::runtime_error "<weights> does not fit the <model>: a is missing; b has shape ..." when
  // any fetch failed.
  void throwIfProblems(const std::string& model) const;
  const engine::WeightSet& weights() const { return weights_; }

private:
  const engine::WeightSet& weights_;
  std::vector<std::string> problems_;
};

struct DenseLayers {
  using Linear = std::pair<at::Tensor, at::Tensor>; // (weight, bias)
  std::vector<Linear> layers;
  Linear head;
  std::map<std::string, Linear> taskHeads;
  std::int64_t inputSize = 0;

  // Loads layers.N (out sizes `hidden`, the first taking `inputSize` features), head.* and every heads.*.
  static DenseLayers load(ParameterLoader& loader, std::int64_t inputSize,
                          const std::vector<std::int64_t>& hidden, std::int64_t numLabels);
  // Logits [B, classes] of features [B, inputSize].
  // `states`, when given, receives the hidden states (as hiddenStates()) the logits were computed from.
  // `adapter`, when given, adapts each layer's output (Classifier::DenseAdapter).
  at::Tensor
  forward(at::Tensor features, const std::string& task, std::vector<at::Tensor>* states = nullptr,
          const std::function<at::Tensor(const std::string&, const at::Tensor&, const at::Tensor&)>* adapter =
              nullptr) const;
  // {features, hidden layer 1, ..., hidden layer K} (Classifier::hiddenStates).
  std::vector<at::Tensor> hiddenStates(at::Tensor features) const;
  bool hasHeadFor(const std::string& task) const { return taskHeads.count(task) != 0; }
};

// The hidden sizes read off layers.0.weight, layers.1.weight, ... and the class count off head.weight;
// `inputSize` gets the features the first of them takes. Throws when there is no head.weight matrix.
void inferDenseShape(const engine::WeightSet& weights, std::int64_t& inputSize,
                     std::vector<std::int64_t>& hidden, std::int64_t& numLabels, const std::string& model);

} // namespace mg::eval::detail
