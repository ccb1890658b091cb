#pragma once
// What the singular-vector merges (ops/iso_merge.h, ops/tsv_merge.h) share (spec, "iso_c, iso_cts, tsv"):
// the weighted task vectors, a tensor's matrix view, the thin SVD in float32 and the orthogonal Procrustes
// (polar) factor.
#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace mg::ops::svd {

// τ_i = w_i·(θ_i − θ0), float32.
std::vector<at::Tensor> weightedTaskVectors(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                                            const std::vector<double>& weights);

// Σ_i τ_i.
at::Tensor sumOf(const std::vector<at::Tensor>& taskVectors);

// Whether the tensor is merged as a matrix (≥ 2 dimensions, no empty dimension); smaller ones get task
// arithmetic.
bool mergedAsMatrix(const at::Tensor& tensor);

// The tensor as an m × n matrix: [shape[0], the product of the other dimensions].
at::Tensor asMatrix(const at::Tensor& tensor);

// min(m, n) of the matrix view.
std::int64_t rankBudget(const at::Tensor& tensor);

// Thin SVD X = U·diag(S)·Vh in float32 (at::linalg_svd, full_matrices = false), singular values descending.
struct ThinSvd {
  at::Tensor u;  // m × r
  at::Tensor s;  // r
  at::Tensor vh; // r × n
};
ThinSvd thinSvd(const at::Tensor& matrix);

// The top k triplets of a thin SVD.
ThinSvd leading(const ThinSvd& svd, std::int64_t k);

// The top k triplets by randomized subspace iteration (Halko, Martinsson & Tropp 2011, Algorithms 4.4 and
// 5.1): a Gaussian test matrix of q = k + max(10, k/10) columns drawn from `seed`, 4 power iterations with
// QR re-orthonormalisation, then the exact SVD of the q × n projection. Exact (leading(thinSvd(...))) when
// q > r/2, where it would save nothing.
ThinSvd randomizedLeading(const at::Tensor& matrix, std::int64_t k, std::uint64_t seed);

// P·Qᵀ for X = P·Σ·Qᵀ: the orthonormal matrix nearest to X (orthogonal Procrustes), of X's shape.
at::Tensor polarFactor(const at::Tensor& matrix);

// θ0 + λ·Δ with Δ given as a matrix view of the base's shape.
at::Tensor baseplusScaled(const at::Tensor& base, const at::Tensor& deltaMatrix, double lambda);

} // namespace mg::ops::svd
