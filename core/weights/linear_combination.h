#pragma once
// Σ c_k · W_k over weight sets of one architecture, one tensor at a time: the value of the Subtract
// (model − base), Scale (f · delta) and Add deltas (base + Σ w_i · δ_i) operators.
#include <utility>
#include <vector>

#include "weights/weight_set.h"

namespace mg::engine {

class LinearCombination final : public WeightSet {
public:
  // The first term names the tensors; every other term must hold each of them with the same shape.
  // Throws std::runtime_error naming the tensor and term otherwise.
  LinearCombination(std::vector<std::pair<WeightSetPtr, double>> terms, std::string description);
  const std::vector<io::TensorInfo>& tensors() const override { return terms_.front().first->tensors(); }
  at::Tensor load(const std::string& name) const override;
  std::string describe() const override { return description_; }

private:
  std::vector<std::pair<WeightSetPtr, double>> terms_;
  std::string description_;
};

} // namespace mg::engine
