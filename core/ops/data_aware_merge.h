#pragma once
// The kernels of the data-aware merges (spec, "fisher, regmean"): they combine the inputs with per-input
// statistics gathered on each model's task data (embed/merge_statistics.h), handed in per tensor.
#include <vector>

namespace at {
class Tensor;
}

namespace mg::ops {

// Fisher merging: Σ λ_i·F̂_i·θ_i / Σ λ_i·F̂_i with F̂_i = max(F_i, ε_i); an undefined F_i counts as 0 (so ε_i).
// Throws std::invalid_argument when a Fisher's shape is not its input's or the weighted floors sum to 0.
at::Tensor fisherMerge(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       const std::vector<at::Tensor>& fishers, const std::vector<double>& floors);

// RegMean: for a matrix W [out, in] whose inputs all have a Gram G_i [in, in], Wᵀ = (Σ G̃_i)⁻¹ Σ G̃_i W_iᵀ with
// G̃ = α·G + (1 − α)·diag(G) (columns no input's data reaches: the mean); anything else the mean of the
// inputs.
at::Tensor regmeanMerge(const std::vector<at::Tensor>& inputs, const std::vector<at::Tensor>& grams,
                        double alpha);

} // namespace mg::ops
