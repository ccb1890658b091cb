#include "weights/source_weights.h"

#include <ATen/ATen.h>

#include "tensor/torch_convert.h"

namespace mg::engine {

SourceWeights::SourceWeights(std::shared_ptr<const io::TensorSource> source) : source_(std::move(source)) {}

at::Tensor SourceWeights::load(const std::string& name) const {
  return tensor::toTorchFloat32(source_->load(name)); // an rvalue: F32 bytes are taken over
}

} // namespace mg::engine
