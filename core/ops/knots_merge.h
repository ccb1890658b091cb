#pragma once
// KnOTS (Stoica et al., ICLR 2025; spec, "knots"): LoRA adapters' updates of one weight aligned by a joint
// SVD, their coefficients in the shared basis merged by TIES or task arithmetic.
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "ops/lora_ops.h"
#include "ops/merge_params.h"

namespace mg::ops {

// One input's LoRA factors of a weight as PEFT stores them (lora_A [r, in] or conv [r, in, k...], lora_B
// [out, r] or [out, r, 1...]), the adapter's scaling s and how s·B·A lies on the weight.
struct LoraFactors {
  at::Tensor A;
  at::Tensor B;
  double scaling = 1.0;
  LoraLayout layout = LoraLayout::Linear;
};

// The factors of each input of one merge call, in input order; nullopt for an input that does not adapt
// the tensor (TensorContext::lora).
struct LoraInputs {
  std::vector<std::optional<LoraFactors>> inputs;
};

// ΔW = U·C in B·A orientation ([out, in], conv flattened to [out, in·k]): U (m × k) the joint SVD's left
// singular vectors, S its k singular values, C (k × n) the merged coefficients diag(S)·V_iᵀ.
struct KnotsUpdate {
  at::Tensor u;
  at::Tensor s;
  at::Tensor c;
};

// KnOTS of one weight from the factors of the adapters that adapt it and their weights; `params` gives
// knotsMerge, lambda and the densities of these adapters (in this order).
KnotsUpdate knotsUpdate(const std::vector<LoraFactors>& factors, const std::vector<double>& weights,
                        const MergeParams& params, const std::string& tensorName);

// KnOTS of one weight from every input's factors (nullopt: the input does not adapt it), `weights` and
// `params` per input as ops::merge gets them; nullopt when no input adapts the weight.
std::optional<KnotsUpdate> knotsUpdateOf(const LoraInputs& lora, const std::vector<double>& weights,
                                         const MergeParams& params, const std::string& tensorName);

// ΔW on a weight of `weightShape` laid out as `layout`.
at::Tensor knotsDelta(const KnotsUpdate& update, LoraLayout layout, c10::IntArrayRef weightShape);

// ΔW as PEFT factors of rank k, B = U·diag(S)^½ and A = diag(S)^−½·C (B·A = ΔW in B·A orientation, scale
// 1), shaped for the layout (conv: A [k, in, k...], B [out, k, 1...]).
LowRank knotsFactors(const KnotsUpdate& update, c10::IntArrayRef weightShape, LoraLayout layout);

// ops::merge's kernel: θ0 + ΔW for a tensor some input adapts (`lora`, aligned with `inputs`); a tensor
// none adapts is merged by params.knotsMerge on the dense task vectors (modules_to_save, or the base).
// Throws std::invalid_argument without `lora`: KnOTS needs the factors, not the dense updates.
at::Tensor knotsMerge(std::vector<at::Tensor> inputs, const at::Tensor& base,
                      const std::vector<double>& weights, const MergeParams& params, const LoraInputs* lora,
                      const std::string& tensorName);

} // namespace mg::ops
