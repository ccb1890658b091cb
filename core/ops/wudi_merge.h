#pragma once
// WUDI merging (Cheng et al., ICML 2025; spec, "wudi"): per matrix, the update that interferes least with
// the inputs each task vector spans, by Adam from task arithmetic's sum.
#include <vector>

namespace at {
class Tensor;
}

namespace mg::ops {

// θ0 + λ·τ, τ after `steps` Adam steps of size `learningRate` on L(τ) = Σ_i ‖(τ − τ_i)·τ_iᵀ‖²_F / ‖τ_i‖²_F
// from τ = Σ_i τ_i, τ_i = w_i·(θ_i − θ0), tensors of ≥ 2 dimensions as [shape[0], rest] matrices.
// Fewer dimensions: θ0 + λ·Σ_i τ_i (task arithmetic). Deterministic (nothing is drawn).
at::Tensor wudiMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                     const std::vector<double>& weights, double lambda, int steps, double learningRate);

// L(τ) of the spec for a matrix τ and task vectors τ_i (matrices of τ's shape), in float64: what the
// optimisation lowers (tests, diagnostics).
double wudiObjective(const at::Tensor& tau, const std::vector<at::Tensor>& taskVectors);

} // namespace mg::ops
