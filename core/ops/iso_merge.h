#pragma once
// Isotropic merging, Iso-C and Iso-CTS (Marczak et al., ICML 2025; spec, "iso_c, iso_cts, tsv").
#include <vector>

namespace at {
class Tensor;
}

namespace mg::ops {

// θ0 + λ·mean(S)·U·Vᵀ for M = Σ_i w_i(θ_i − θ0) = U·S·Vᵀ: the summed task vectors' singular vectors with
// a flat spectrum. Tensors of fewer than 2 dimensions: θ0 + λ·M (task arithmetic).
at::Tensor isoCMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                     const std::vector<double>& weights, double lambda);

// Iso-CTS: the top directions of M (a `commonFraction` of the rank) plus each task's top directions outside
// them, orthogonalised, with a flat spectrum (their mean singular value). Fewer than 2 dimensions: as iso_c.
at::Tensor isoCtsMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                       const std::vector<double>& weights, double lambda, double commonFraction);

} // namespace mg::ops
