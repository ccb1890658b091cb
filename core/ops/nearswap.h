#pragma once
// NearSwap (spec, "nearswap"): the base pulled towards one input where the two are already close.
#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// Per entry w = clamp(t / max(|θ0 − θ1|, 1e-6), 0, 1) and w·θ1 + (1 − w)·θ0 (mergekit's nearswap): entries
// closer than t are taken from θ1, farther ones move towards it by t / distance. t = 0 returns θ0.
// In bf16 / f16 every intermediate is rounded to it, as mergekit's torch code computes in the checkpoint's
// dtype. Throws std::invalid_argument for a negative or non-finite t or differing shapes.
at::Tensor nearswap(const at::Tensor& base, const at::Tensor& input, double t,
                    Precision precision = Precision::F32);

} // namespace mg::ops
