#pragma once
// Internal to core/lm: rotary position embeddings (RoFormer) as the Llama family applies them: the two
// halves of each head's vector are the pairs rotated, by angle position · inv_freq[i].
#include <ATen/core/Tensor.h>

#include "lm/lm_config.h"

namespace mg::lm::detail {

class Rope {
public:
  explicit Rope(const LmConfig& config);
  // cos and sin [T, headDim] (float32) for positions [T] (int64).
  std::pair<at::Tensor, at::Tensor> angles(const at::Tensor& positions) const;
  // x [B, H, T, headDim] rotated by angles(); the result has x's dtype.
  static at::Tensor apply(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);
  const at::Tensor& inverseFrequencies() const { return invFreq_; }

private:
  at::Tensor invFreq_; // [headDim / 2], float32, rope_scaling applied
};

} // namespace mg::lm::detail
