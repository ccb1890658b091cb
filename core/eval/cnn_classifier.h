#pragma once
// The built-in small CNN classifier. Parameter names follow the checkpoint:
//   convs.N.weight [channels[N], in, k, k], convs.N.bias [channels[N]]   (in: input_channels, then
//   channels[N-1]) then, as in the MLP (eval/mlp_classifier.h): layers.N.weight/bias (optional hidden
//   layers), head.weight [classes, features] / head.bias, or per-task heads.<task>.weight/bias.
// Each convolution has stride 1 and padding k / 2 (odd k: the image keeps its size), then ReLU and a 2×2
// max-pool (stride 2, rounding down). The last feature map [C, H', W'] is flattened in C, H, W order.
// Inputs are [B, C·H·W] or [B, C, H, W] (or [B, H, W] for one channel). config.json:
//   {"architectures": ["MerganserCNN"], "model_type": "merganser_cnn", "input_channels": 1,
//    "image_size": [28, 28] (or 28), "channels": [16, 32], "kernel_size": 3, "hidden_sizes": [],
//    "num_labels": 10}
// Without a config the shape is read off the tensors and the image size off the inputs.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eval/classifier.h"

namespace mg::eval {

struct CnnShape {
  std::int64_t inputChannels = 0;
  std::int64_t imageHeight = 0, imageWidth = 0; // 0: not fixed (no config): taken from the inputs
  std::vector<std::int64_t> channels;           // output channels of each convolution
  std::int64_t kernelSize = 3;
  std::vector<std::int64_t> hiddenSizes; // fully connected layers after the flatten
  std::int64_t numLabels = 0;

  // The flattened features after the convolutions for an h × w image; 0 when the image is too small for
  // the pools.
  std::int64_t featuresFor(std::int64_t h, std::int64_t w) const;
};

// Reads the shape from config.json text; throws std::runtime_error naming `file` when it is not a
// MerganserCNN config or a field is missing or out of range.
CnnShape parseCnnConfig(const std::string& configJson, const std::string& file);

class CnnClassifier final : public Classifier {
public:
  // Loads every parameter once. Throws std::runtime_error listing the tensors that are missing or shaped
  // otherwise than `shape` says (without a shape: read off convs.N.weight, layers.N.weight, head.weight).
  CnnClassifier(const engine::WeightSet& weights, std::optional<CnnShape> shape = std::nullopt);
  ~CnnClassifier() override;
  CnnClassifier(CnnClassifier&&) noexcept;

  const CnnShape& shape() const { return shape_; }
  at::Tensor logits(const at::Tensor& inputs, const std::string& task = {}) const override;
  at::Tensor differentiableLogits(const at::Tensor& inputs, const std::string& task = {}) const override;
  at::Tensor adaptedLogits(const at::Tensor& inputs, const std::string& task,
                           const DenseAdapter& adapter) const override;
  at::Tensor differentiableLogits(const at::Tensor& inputs, const std::string& task,
                                  std::vector<at::Tensor>& states) const override;
  bool hasHeadFor(const std::string& task) const override;
  // [C, H, W]; H and W are -1 when no config fixed them.
  std::vector<std::int64_t> exampleShape() const override;
  std::optional<std::string> inputProblem(const std::vector<std::int64_t>& shape) const override;
  std::int64_t numLabels() const override { return shape_.numLabels; }
  std::string describe() const override;
  std::vector<at::Tensor> hiddenStates(const at::Tensor& inputs) const override;

private:
  at::Tensor convFeatures(const at::Tensor& inputs) const; // the flattened last feature map [B, features]
  struct Parameters;
  CnnShape shape_;
  std::unique_ptr<Parameters> parameters_;
};

} // namespace mg::eval
