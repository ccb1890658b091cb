#pragma once
// SCE: select, calculate, erase (spec, "sce").
#include <vector>

#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// On task vectors τ_i = θ_i − θ0: when selectTopK < 1 keep only the int(selectTopK·#nonzero-variance)
// positions with the highest variance across inputs; weight each input by mean(τ_i²)/Σ_j mean(τ_j²)
// (1/N each when |Σ_j mean(τ_j²)| < 1e-6); erase entries whose sign disagrees with sign(Σ τ_i) (a sum of
// 0 counts as +1); divide by the sum of the remaining weights clamped to >= 1e-6; add θ0. Input weights
// are not used (mergekit).
// precision: the compute dtype, every operation rounded to it (ops/precision.h).
at::Tensor sceMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base, double selectTopK,
                    Precision precision = Precision::F32);

} // namespace mg::ops
