#pragma once
// Internal to core/lm: right-padded batches of token sequences, longest first so that a batch pads little.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace mg::lm::detail {

// Indices of `lengths` grouped into batches of at most batchSize, longest sequences first.
std::vector<std::vector<std::size_t>> lengthSortedBatches(const std::vector<std::size_t>& lengths,
                                                          std::size_t batchSize);
// ids [B, longest] (int64) of the sequences at `indices`, padded on the right with token 0.
at::Tensor paddedIds(const std::vector<const std::vector<std::int64_t>*>& sequences);
// Adapter weights [B, K] of per-sequence weights (empty vectors: all 1); undefined when K is 0.
at::Tensor mixRows(const std::vector<const std::vector<float>*>& mixes, std::size_t adapters);

} // namespace mg::lm::detail
