#pragma once
// The built-in MLP classifier, run with LibTorch on the weights of any Model value. Parameter names follow
// the checkpoint: layers.0.weight [h0, in], layers.0.bias, ..., layers.K.*, then head.weight [classes, hK]
// and head.bias, with ReLU between layers. A checkpoint may carry per-task heads, heads.<task>.weight/bias,
// used for that task instead of head.*. Inputs [B, ...] are flattened to [B, input_size]. The architecture
// comes from config.json when there is one:
//   {"architectures": ["MerganserMLP"], "model_type": "merganser_mlp",
//    "input_size": 784, "hidden_sizes": [256, 128], "num_labels": 10}
// else from the tensors.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eval/classifier.h"

namespace mg::eval {

struct MlpShape {
  std::int64_t inputSize = 0;
  std::vector<std::int64_t> hiddenSizes;
  std::int64_t numLabels = 0;
};

// Reads the shape from config.json text; throws std::runtime_error naming `file` when it is not an MLP
// config or misses a field.
MlpShape parseMlpConfig(const std::string& configJson, const std::string& file);

class MlpClassifier final : public Classifier {
public:
  // Loads every parameter once (the model is materialized here, not per batch). Throws std::runtime_error
  // listing the tensors that are missing or have the wrong shape for `shape` (or, without a shape, when the
  // names do not describe an MLP).
  MlpClassifier(const engine::WeightSet& weights, std::optional<MlpShape> shape = std::nullopt);
  ~MlpClassifier() override;
  MlpClassifier(MlpClassifier&&) noexcept;

  const MlpShape& shape() const { return shape_; }
  // Logits [B, classes] for inputs [B, ...] (flattened to input_size). `task` picks heads.<task> when
  // present.
  at::Tensor logits(const at::Tensor& inputs, const std::string& task = {}) const override;
  at::Tensor differentiableLogits(const at::Tensor& inputs, const std::string& task = {}) const override;
  at::Tensor adaptedLogits(const at::Tensor& inputs, const std::string& task,
                           const DenseAdapter& adapter) const override;
  at::Tensor differentiableLogits(const at::Tensor& inputs, const std::string& task,
                                  std::vector<at::Tensor>& states) const override;
  bool hasHeadFor(const std::string& task) const override;
  std::vector<std::int64_t> exampleShape() const override { return {shape_.inputSize}; }
  std::int64_t numLabels() const override { return shape_.numLabels; }
  std::string describe() const override;
  std::vector<at::Tensor> hiddenStates(const at::Tensor& inputs) const override;

private:
  at::Tensor flatInputs(const at::Tensor& inputs) const; // [B, input_size] float32, or throws
  struct Parameters;
  MlpShape shape_;
  std::unique_ptr<Parameters> parameters_;
};

} // namespace mg::eval
