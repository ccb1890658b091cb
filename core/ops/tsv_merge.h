#pragma once
// Task Singular Vectors merge, TSV-M (Gargiulo et al., CVPR 2025; spec, "iso_c, iso_cts, tsv").
#include <cstdint>
#include <vector>

namespace at {
class Tensor;
}

namespace mg::ops {

// Each τ_i = w_i(θ_i − θ0) reduced to its top int(r/T) singular triplets; the stacked left and right
// singular vectors decorrelated by orthogonal Procrustes; θ0 + λ·U⊥·S·V⊥ᵀ. Tensors of fewer than 2
// dimensions, and matrices of rank budget r < T: θ0 + λ·Σ_i τ_i (task arithmetic). `randomized`: the top
// triplets by randomized subspace iteration (svd::randomizedLeading), seeded by `seed` and the input's
// index, instead of exact SVDs; much faster when r/T is small against r (8 tasks: r/8).
at::Tensor tsvMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                    const std::vector<double>& weights, double lambda, bool randomized = false,
                    std::uint64_t seed = 0);

} // namespace mg::ops
