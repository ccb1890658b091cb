#pragma once
// Weighted average and passthrough (spec, "Other methods").
#include <vector>

#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// Σ w_i·θ_i, divided by Σ w_i when normalize (mergekit's default). Throws std::invalid_argument when
// normalizing weights that sum to (almost) zero.
// `precision`: the compute dtype, whose rounding of each product and sum is reproduced (ops/precision.h).
at::Tensor linearMerge(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       bool normalize, Precision precision = Precision::F32);

// The single input times `scale` (layer stacking / slices).
at::Tensor passthrough(const at::Tensor& input, double scale);

} // namespace mg::ops
