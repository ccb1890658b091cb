#pragma once
// Spherical interpolation of two tensors (spec, "slerp" and "nuslerp").
#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// mergekit's slerp: the tensors are flattened; dot = v̂0·v̂1 of copies normalized only when ‖v‖ > 1e-8;
// |dot| > 0.9995 gives the lerp (1−t)·v0 + t·v1 of the original tensors, otherwise
// sin((1−t)θ)/sin θ·v0 + sin(tθ)/sin θ·v1 with θ = arccos(dot). t = 0 returns v0, t = 1 returns v1.
at::Tensor slerp(const at::Tensor& v0, const at::Tensor& v1, double t);

// mergekit's nuslerp on two tensors (task vectors when there is a base: the caller adds it back).
// flatten: one vector per tensor; otherwise vectors along the last dim, or along dim 0 when rowWise
// (mergekit's nuslerp_row_wise). Where |sin θ| < 1e-8 the vectors are lerped.
// precision: the compute dtype, every operation rounded to it (ops/precision.h).
at::Tensor nuslerp(const at::Tensor& v0, const at::Tensor& v1, double t, bool rowWise, bool flatten,
                   Precision precision = Precision::F32);

// nuslerp's t from the two input weights: w1 / (w0 + w1), or 0.5 when the weights sum to ~0.
double nuslerpFactor(double w0, double w1);

} // namespace mg::ops
