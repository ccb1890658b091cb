#pragma once
// Reinforced Agent Merging (spec, "ram" and "ramplus_tl"): sparse task vectors whose entries changed by one
// input are kept, those changed by several are averaged.
#include <optional>
#include <vector>

#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// RAM+'s rescaling of the entries only one input changed (mergekit's ramplus_tl, tensor-local).
struct RamPlus {
  double r = 0.1;     // strength: λ_i = 1 + r·clamp(ρ_i, 0, alpha)
  double alpha = 0.2; // bound of the shared-to-unique ratio ρ_i, ≥ 0
};

// τ_i = θ_i − θ0; entry j of input i is active when |τ_ij| > epsilon, c_j inputs are active at j. Returns
// θ0 + Σ_i active·τ_i·(1 where c_j = 1, 1/c_j where c_j > 1): inactive entries keep the base.
// With `plus`, the c_j = 1 entries of input i are scaled by λ_i, where ρ_i = S_i / max(U_i, epsilon) counts
// the input's shared (S) and unique (U) active entries in this tensor; epsilon must then be > 0.
// In bf16 / f16 the task vectors, epsilon and the shared means are rounded to it and RAM's sum once, as
// mergekit's torch code computes them (RAM+'s λ is float32 there, which makes its sum float32).
// Throws std::invalid_argument for no inputs, differing shapes or bad parameters.
at::Tensor ramMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base, double epsilon,
                    const std::optional<RamPlus>& plus = std::nullopt, Precision precision = Precision::F32);

} // namespace mg::ops
