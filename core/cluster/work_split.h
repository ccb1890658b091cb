#pragma once
// How a run over ranks divides its work. Every rank computes the same division from the same inputs, so no
// plan needs sending.
#include <cstdint>
#include <utility>

namespace mg::cluster {

// Rank `rank` of `ranks` takes the items [first, end) of `count`: contiguous parts as equal as whole
// `granule`s allow (parts start at multiples of `granule`, so batches of that size stay whole).
std::pair<std::int64_t, std::int64_t> partOf(std::int64_t count, int rank, int ranks,
                                             std::int64_t granule = 1);

// Round-robin ownership of numbered items (tensors, sweep points): neighbours, often alike in cost, go to
// different ranks.
inline int ownerOf(std::int64_t item, int ranks) {
  return static_cast<int>(item % ranks);
}

} // namespace mg::cluster
