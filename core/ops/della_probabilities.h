#pragma once
// DELLA's keep probabilities (spec, della_magprune): per entry of a task vector, from its |δ| rank in its
// row.
namespace at {
class Tensor;
}

namespace mg::ops {

// p = (d−ε) + 2ε·(r−1)/(n−1) for the rank r of |δ| within its row (rows along dim 1, as mergekit; a vector
// is one row; equal magnitudes rank in index order). A float32 tensor of delta's shape. Throws
// std::invalid_argument unless 0 < d−ε and d+ε < 1.
at::Tensor dellaKeepProbabilities(const at::Tensor& delta, double density, double epsilon);

} // namespace mg::ops
