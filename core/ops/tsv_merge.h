#pragma once
// Task Singular Vectors merge, TSV-M (Gargiulo et al., CVPR 2025; spec, "iso_c, iso_cts, tsv").
#include <vector>

namespace at {
class Tensor;
}

namespace mg::ops {

// Each τ_i = w_i(θ_i − θ0) reduced to its top int(r/T) singular triplets; the stacked left and right
// singular vectors decorrelated by orthogonal Procrustes; θ0 + λ·U⊥·S·V⊥ᵀ. Tensors of fewer than 2
// dimensions, and matrices of rank budget r < T: θ0 + λ·Σ_i τ_i (task arithmetic).
at::Tensor tsvMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                    const std::vector<double>& weights, double lambda);

} // namespace mg::ops
