#include "engine/runners/weight_set_source.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "tensor/torch_convert.h"

namespace mg::engine {

WeightSetSource::WeightSetSource(WeightSetPtr weights, std::string label)
    : weights_(std::move(weights)), label_(std::move(label)) {
  infos_ = weights_->tensors();
  for (auto& info : infos_)
    if (io::isFloatingPoint(info.dtype)) info.dtype = io::DType::F32;
}

io::TensorData WeightSetSource::load(const std::string& name) const {
  const auto tensor = weights_->load(name);
  if (!tensor.is_floating_point())
    throw std::runtime_error(label_ + ": " + name + " is not a floating-point tensor");
  return tensor::fromTorch(tensor, name, io::DType::F32);
}

} // namespace mg::engine
