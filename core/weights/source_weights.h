#pragma once
// A WeightSet read straight from a file or folder (safetensors, sharded, HF folder, HDF5).
#include "weights/weight_set.h"
#include "io/tensor_source.h"

namespace mg::engine {

class SourceWeights final : public WeightSet {
public:
  explicit SourceWeights(std::shared_ptr<const io::TensorSource> source);
  const std::vector<io::TensorInfo>& tensors() const override { return source_->tensors(); }
  at::Tensor load(const std::string& name) const override;
  std::string describe() const override { return source_->path(); }
  const io::TensorSource& source() const { return *source_; }

private:
  std::shared_ptr<const io::TensorSource> source_;
};

} // namespace mg::engine
