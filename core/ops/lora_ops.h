#pragma once
// LoRA-space operations (spec, "LoRA-space operations"): LoRA → delta, DoRA merge, exact concatenation of
// adapters, SVD re-factorization of a combined delta, and LoRA extraction from a fine-tune.
//
// Orientation: factors follow PEFT, A = lora_A [r, in] and B = lora_B [out, r] (conv: A [r, in, k...],
// B [out, r, 1...]), so B·A is [out, in]. The weight a delta applies to is laid out per LoraLayout.
#include <cstdint>
#include <vector>

namespace at {
class Tensor;
}

namespace mg::ops {

enum class LoraLayout {
  Linear,      // weight [out, in] (conv: [out, in, k...]); delta = s·B·A
  FanInFanOut, // weight stored [in, out] (GPT-2 Conv1D); delta = s·(B·A)ᵀ
  Embedding    // weight [num_embeddings, dim], lora_embedding_A [r, num], _B [dim, r]; delta = s·(B·A)ᵀ
};

// Low-rank factors with B·A ≈ the delta (scale 1: any LoRA scale is folded into the factors). A template only
// so that this header needs no torch: a class member needs a complete type, a template's only at use.
template <typename TensorT = at::Tensor> struct BasicLowRank {
  TensorT A;                  // [r, in] (conv: [r, in, k...])
  TensorT B;                  // [out, r] (conv: [out, r, 1...])
  double relativeError = 0.0; // ‖Δ − B·A‖_F / ‖Δ‖_F (0 for an exact factorization or a zero Δ)
};
using LowRank = BasicLowRank<>;

// s = alpha / r, or alpha / sqrt(r) with rsLoRA.
double loraScale(double alpha, std::int64_t rank, bool rsLora);

// The delta s·B·A in the weight's layout (float32).
at::Tensor loraDelta(const at::Tensor& A, const at::Tensor& B, double scale,
                     LoraLayout layout = LoraLayout::Linear);

// DoRA merge: W' = (m / ‖W + ΔW‖_row)·(W + ΔW), one norm per output row of the [out, in] view (PEFT's
// weight norm over dim 1; conv: over all dims but 0; embedding: per embedding dimension). `magnitude` holds
// one value per output row (any shape with that many elements). Result in the weight's layout.
at::Tensor doraMerge(const at::Tensor& weight, const at::Tensor& delta, const at::Tensor& magnitude,
                     LoraLayout layout = LoraLayout::Linear);

// Exact concatenation: A = concat_i(c_i·A_i) along rows, B = concat_i(B_i) along columns, so
// B·A = Σ c_i·B_i·A_i with rank Σ r_i. Use c_i = w_i·s_i for weights w_i and LoRA scales s_i; the result has
// scale 1 (alpha = rank when saved as a PEFT adapter).
LowRank catLoras(const std::vector<at::Tensor>& As, const std::vector<at::Tensor>& Bs,
                 const std::vector<double>& coefficients);

// Truncated SVD of a delta (in the weight's layout) to rank <= `rank`: B = U_r·diag(S_r), A = V_rᵀ;
// relativeError = sqrt(Σ dropped σ²) / ‖Δ‖_F.
LowRank svdRefactor(const at::Tensor& delta, std::int64_t rank, LoraLayout layout = LoraLayout::Linear);

// LoRA factors of a delta (a task vector): SVD in float32, rank = min(maxRank, #σ above epsilon and above
// float32's rounding, σ_max · max(out, in) · 2⁻²³ (numpy's matrix_rank tolerance), so a delta of rank r gives
// rank r, not r plus rounding noise) (0 gives empty factors), A = sqrt(Σ)·Vᵀ, B = U·sqrt(Σ): B·A is the best
// approximation of that rank (Eckart–Young); relativeError as for svdRefactor.
LowRank lowRankOfDelta(const at::Tensor& delta, std::int64_t maxRank, double epsilon,
                       LoraLayout layout = LoraLayout::Linear);

// LoRA from a fine-tune: lowRankOfDelta(θ_ft − θ0).
LowRank extractLora(const at::Tensor& finetuned, const at::Tensor& base, std::int64_t maxRank, double epsilon,
                    LoraLayout layout = LoraLayout::Linear);

} // namespace mg::ops
