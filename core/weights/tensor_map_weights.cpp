#include "weights/tensor_map_weights.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace mg::engine {

TensorMapWeights::TensorMapWeights(std::map<std::string, at::Tensor> tensors, std::string description,
                                   bool keepHistory)
    : tensors_(std::move(tensors)), description_(std::move(description)), keepHistory_(keepHistory) {
  for (const auto& [name, tensor] : tensors_) // a std::map: sorted by name, as WeightSet lists them
    infos_.push_back(
        {name, io::DType::F32, std::vector<std::int64_t>(tensor.sizes().begin(), tensor.sizes().end())});
}

TensorMapWeights::~TensorMapWeights() = default;

at::Tensor TensorMapWeights::load(const std::string& name) const {
  const auto found = tensors_.find(name);
  if (found == tensors_.end()) throw std::runtime_error(description_ + ": no tensor '" + name + "'");
  if (keepHistory_) return found->second;
  return found->second.to(at::kFloat).clone();
}

} // namespace mg::engine
