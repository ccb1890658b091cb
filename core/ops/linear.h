#pragma once
// Weighted average and passthrough (spec, "Other methods").
#include <vector>

namespace at {
class Tensor;
}

namespace mg::ops {

// Σ w_i·θ_i, divided by Σ w_i when normalize (mergekit's default). Throws std::invalid_argument when
// normalizing weights that sum to (almost) zero.
at::Tensor linearMerge(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       bool normalize);

// The single input times `scale` (layer stacking / slices).
at::Tensor passthrough(const at::Tensor& input, double scale);

} // namespace mg::ops
