#pragma once
// Internal to core/lm: the per-layer key and value buffers behind lm::KvCache.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace mg::lm::detail {

struct KvCacheState {
  std::int64_t reserve = 256;
  std::int64_t length = 0;              // committed tokens
  std::vector<at::Tensor> keys, values; // per layer [B, kvHeads, capacity, headDim]

  // Writes a layer's keys and values [B, kvHeads, T, headDim] for positions length..length+T-1 and
  // returns the layer's keys and values for positions 0..length+T-1 (views of the buffers).
  std::pair<at::Tensor, at::Tensor> append(std::size_t layer, const at::Tensor& k, const at::Tensor& v);
  // After every layer appended T tokens.
  void commit(std::int64_t tokens) { length += tokens; }
};

} // namespace mg::lm::detail
