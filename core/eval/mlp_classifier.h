#pragma once
// The built-in MLP classifier, run with LibTorch on the weights of any Model value. Parameter names follow
// the checkpoint: layers.0.weight [h0, in], layers.0.bias, ..., layers.K.*, then head.weight [classes, hK]
// and head.bias, with ReLU between layers. A checkpoint may carry per-task heads, heads.<task>.weight/bias,
// used for that task instead of head.*. The architecture comes from config.json ("architectures":
// ["MerganserMLP"], "input_size", "hidden_sizes", "num_labels") when there is one, else from the tensors.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/weight_set.h"

namespace at {
class Tensor;
}
namespace mg::io {
class HfModelFolder;
}

namespace mg::eval {

struct MlpShape {
  std::int64_t inputSize = 0;
  std::vector<std::int64_t> hiddenSizes;
  std::int64_t numLabels = 0;
};

// Reads the shape from config.json text; throws std::runtime_error naming `file` when it is not an MLP
// config or misses a field.
MlpShape parseMlpConfig(const std::string& configJson, const std::string& file);

class MlpClassifier {
public:
  // Loads every parameter once (the model is materialized here, not per batch). Throws std::runtime_error
  // listing the tensors that are missing or have the wrong shape for `shape` (or, without a shape, when the
  // names do not describe an MLP).
  MlpClassifier(const engine::WeightSet& weights, std::optional<MlpShape> shape = std::nullopt);
  ~MlpClassifier();
  MlpClassifier(MlpClassifier&&) noexcept;

  const MlpShape& shape() const { return shape_; }
  // Logits [B, classes] for inputs [B, ...] (flattened to input_size). `task` picks heads.<task> when
  // present.
  at::Tensor logits(const at::Tensor& inputs, const std::string& task = {}) const;
  bool hasHeadFor(const std::string& task) const;

private:
  struct Parameters;
  MlpShape shape_;
  std::unique_ptr<Parameters> parameters_;
};

// The classifier of a model: shaped by `configFolder`'s config.json when the model came from a Hugging Face
// folder, else read off its tensor names.
MlpClassifier loadClassifier(const engine::WeightSet& weights, const io::HfModelFolder* configFolder);

} // namespace mg::eval
