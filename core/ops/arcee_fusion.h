#pragma once
// Arcee Fusion (spec, "arcee_fusion"): the base plus the input's changes whose importance is an outlier.
#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// I = |θ1 − θ0| · KL(softmax(θ1) ‖ softmax(θ0)) per row (last dim, softmaxes + 1e-8); keeps the changes
// with I ≥ median(I) + 1.5·IQR(I), quantiles taken as sorted[floor(q·(n − 1))] over all entries:
// θ0 + (θ1 − θ0)·[I ≥ τ]. In bf16 / f16 every intermediate is rounded to it, as in mergekit.
// Throws std::invalid_argument for differing shapes.
at::Tensor arceeFusion(const at::Tensor& base, const at::Tensor& input, Precision precision = Precision::F32);

// The entry at index floor(q·(n − 1)) of `values` sorted ascending, NaN last like torch.sort (q ∈ [0, 1]);
// shared with the tests, which check it against a full sort.
float lowerQuantile(const at::Tensor& values, double q);

} // namespace mg::ops
