#pragma once
// Model Stock (Jang et al. 2024; spec, "model_stock").
#include <vector>

#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// cos = mean pairwise cosine of the task vectors θ_i − θ0 (norm product clamped >= 1e-6),
// t = N·cos / (1 + (N−1)·cos), out = t·mean(θ_i) + (1−t)·θ0. Needs >= 2 inputs. filterWise (mergekit's
// filter_wise) computes one t per vector along the last dimension (a 1-D tensor is one vector), otherwise
// one per tensor. Throws std::invalid_argument where t is undefined (1 + (N−1)·cos = 0, i.e. exactly
// opposite task vectors).
// precision: the compute dtype, every operation rounded to it (ops/precision.h).
at::Tensor modelStock(const std::vector<at::Tensor>& inputs, const at::Tensor& base, bool filterWise,
                      Precision precision = Precision::F32);

} // namespace mg::ops
