#pragma once
// Per-row magnitude ranks of a float32 buffer, written straight through a table: the kernel behind DELLA's
// keep probabilities (ops/della_probabilities), O(n) per row and no sort of indices.
#include <cstdint>

namespace mg::ops {

// Rows of a contiguous buffer of `outer` × `length` × `inner` entries: row (o, j) is the `length` entries
// o·length·inner + j + k·inner, k in [0, length) — dim 1 of a tensor of shape [outer, length, inner...].
// A [rows, n] matrix is {rows, n, 1}; a vector is {1, n, 1}.
struct RowLayout {
  std::int64_t outer = 1;
  std::int64_t length = 0;
  std::int64_t inner = 1;
};

// out[e] = valueOfRank[r] for every entry e, r the 0-based position of |x[e]| in its row's ascending order
// with equal magnitudes in index order (what a stable sort gives; -0 equals +0, NaN ranks above +inf).
// x and out hold the layout's entries; valueOfRank holds `length` values. Rows run in parallel
// (at::parallel_for). Throws std::invalid_argument for a row longer than 2^32 − 1 entries.
void mapMagnitudeRanks(const float* x, float* out, const RowLayout& layout, const float* valueOfRank);

} // namespace mg::ops
