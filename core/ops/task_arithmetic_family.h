#pragma once
// The generalized task arithmetic family (spec, "Generalized task arithmetic family", steps 1–7):
// task_arithmetic, ties, dare_ties, dare_linear, breadcrumbs, breadcrumbs_ties, della, della_linear and
// magnitude_prune differ only in the row of the spec's table below.
#include <string>
#include <vector>

#include "ops/family_methods.h"
#include "ops/merge_params.h"
#include "ops/sparsify.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// Steps 2–6 on task vectors δ_i (θ_i − θ0, or a LoRA's s·B·A): returns the mixed delta, to be added to θ0
// (step 7). `weights` has one entry per delta. `tensorName` salts the random pruning seed (see deriveSeed).
// Parameters left unset in `params` (normalize, rescale, consensus) take the method's defaults.
at::Tensor mixTaskVectors(const FamilyMethod& method, const std::vector<at::Tensor>& deltas,
                          const std::vector<double>& weights, const MergeParams& params,
                          const std::string& tensorName);

// Steps 1–7 on full tensors θ_i and the base θ0. Inputs handed over (std::move) and held nowhere else are
// reused as the task vectors' memory; inputs shared with the caller are copied, never modified.
at::Tensor taskArithmeticMerge(const FamilyMethod& method, std::vector<at::Tensor> inputs,
                               const at::Tensor& base, const std::vector<double>& weights,
                               const MergeParams& params, const std::string& tensorName);

} // namespace mg::ops
