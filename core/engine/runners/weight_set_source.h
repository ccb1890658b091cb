#pragma once
// A weight set (a merge, an adapter applied to its base, ...) seen as an io::TensorSource, for code that
// reads tensors through io (core/lm loads a language model from one). Each load computes the tensor and
// copies it as float32.
#include <memory>

#include "io/tensor_source.h"
#include "weights/weight_set.h"

namespace mg::engine {

class WeightSetSource final : public io::TensorSource {
public:
  WeightSetSource(WeightSetPtr weights, std::string label);

  io::SourceKind kind() const override { return io::SourceKind::Safetensors; }
  const std::string& path() const override { return label_; }
  const std::vector<io::TensorInfo>& tensors() const override { return infos_; }
  const std::map<std::string, std::string>& metadata() const override { return metadata_; }
  io::TensorData load(const std::string& name) const override;

private:
  WeightSetPtr weights_;
  std::string label_;
  std::vector<io::TensorInfo> infos_; // the weight set's, as float32 (what load() gives)
  std::map<std::string, std::string> metadata_;
};

} // namespace mg::engine
