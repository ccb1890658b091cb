#pragma once
// Named tensors held in memory as a WeightSet: statistics gathered on task data (embed/merge_statistics.h),
// or weights that must keep their autograd history (per-parameter gradients).
#include <map>
#include <string>

#include "weights/weight_set.h"

namespace mg::engine {

class TensorMapWeights final : public WeightSet {
public:
  // `keepHistory`: load() hands out the tensors themselves (their autograd graph and leaves intact) instead
  // of float32 copies the caller may modify.
  TensorMapWeights(std::map<std::string, at::Tensor> tensors, std::string description,
                   bool keepHistory = false);
  ~TensorMapWeights() override;
  const std::vector<io::TensorInfo>& tensors() const override { return infos_; }
  at::Tensor load(const std::string& name) const override;
  std::string describe() const override { return description_; }
  const std::map<std::string, at::Tensor>& map() const { return tensors_; }

private:
  std::map<std::string, at::Tensor> tensors_;
  std::vector<io::TensorInfo> infos_;
  std::string description_;
  bool keepHistory_;
};

} // namespace mg::engine
