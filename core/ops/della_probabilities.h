#pragma once
// DELLA's keep probabilities (spec, della_magprune): per entry of a task vector, from its |δ| rank in its
// row.
#include <cstdint>
#include <vector>

namespace at {
class Tensor;
}

namespace mg::ops {

// p = (d−ε) + 2ε·(r−1)/(n−1) for the rank r of |δ| within its row (rows along dim 1, as mergekit; a vector
// is one row; for more dimensions a row is the entries that differ only in their dim-1 index; equal
// magnitudes rank in index order, NaN above +inf). A float32 tensor of delta's shape, O(n) per row (a radix
// kernel, ops/row_magnitude_ranks). Throws std::invalid_argument unless 0 < d−ε and d+ε < 1, or for a delta
// that is not float32, float16 or bfloat16.
at::Tensor dellaKeepProbabilities(const at::Tensor& delta, double density, double epsilon);

// The keep probability of each 0-based rank in a row of n entries (what dellaKeepProbabilities writes for
// an entry of that rank), for a caller that ranks rows itself (ops/row_magnitude_ranks). Throws as above.
std::vector<float> dellaProbabilityOfRank(std::int64_t n, double density, double epsilon);

} // namespace mg::ops
