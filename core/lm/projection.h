#pragma once
// Internal to core/lm: one linear module of a language model (q_proj, c_attn, lm_head, ...) with the LoRA
// adapters attached to it, applied unmerged: for h [B, ..., in] and mixing weights w [B, K],
//   y = h·Wᵀ + b + Σ_k w_k · s_k · (h·A_kᵀ)·B_kᵀ,
// which equals the layer of the merged weights W + Σ_k w_k·s_k·B_k·A_k without ever forming B·A.
// PEFT IA³ vectors l_k scale the base layer's output, y = (h·Wᵀ + b) ⊙ s (or, for feed-forward modules, its
// input, y = (h ⊙ s)·Wᵀ + b) with s = 1 + Σ_k w_k·(l_k − 1): exactly l for one adapter at weight 1 (PEFT's
// forward), PEFT's weighted IA³ merge Σ_k w_k·l_k whenever the weights sum to 1 (routers, SMEAR), the base at
// weight 0. LoRA paths read the unscaled h and add after the scaling, so a module with both is the layer of
// the merged weights W ⊙ s + Σ_k w_k·s_k·B_k·A_k.
#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace mg::lm {
class ModuleInputObserver; // lm/module_inputs.h
}

namespace mg::lm::detail {

struct LoraFactors {
  std::size_t adapter = 0; // index k into the mixing weights
  at::Tensor a;            // [r, in]
  at::Tensor b;            // [out, r]
  double scaling = 1.0;
};

struct Ia3Scaling {
  std::size_t adapter = 0; // index k into the mixing weights
  at::Tensor l;            // PEFT's shape: [out, 1], or [1, in] for a feed-forward module
  bool feedforward = false;
};

struct Projection {
  std::string module; // name in the Hugging Face model, e.g. "model.layers.0.self_attn.q_proj"
  at::Tensor weight;  // [out, in]; GPT-2's Conv1D stores [in, out] (conv1d true)
  at::Tensor bias;    // [out] or undefined
  bool conv1d = false;
  std::vector<LoraFactors> adapters;
  std::vector<Ia3Scaling> ia3; // all feed-forward or none: PEFT marks a module one way
  // Training only (CausalLm::setAdapterDropout): PEFT's lora_dropout on the LoRA path's input, drawn from
  // `dropoutGenerator`, in forwards that record autograd.
  double adapterDropout = 0;
  at::Generator dropoutGenerator;

  // Whether a forward through this module records autograd (a weight, bias or factor requires grad).
  bool recordsGradient() const {
    if (weight.requires_grad() || (bias.defined() && bias.requires_grad())) return true;
    for (const auto& f : adapters)
      if (f.a.requires_grad() || f.b.requires_grad()) return true;
    for (const auto& v : ia3)
      if (v.l.requires_grad()) return true;
    return false;
  }
  std::int64_t inFeatures() const { return weight.size(conv1d ? 0 : 1); }
  std::int64_t outFeatures() const { return weight.size(conv1d ? 1 : 0); }
  // `mix`: [B, K] weights over the model's adapters, undefined for weight 1 on each. `observer`, when given,
  // sees h first.
  at::Tensor operator()(const at::Tensor& h, const at::Tensor& mix,
                        ModuleInputObserver* observer = nullptr) const;

private:
  // s for input rows h (see above): [n], or [B, 1, ..., n] with per-sequence weights.
  at::Tensor ia3Scale(const at::Tensor& h, const at::Tensor& mix) const;
};

} // namespace mg::lm::detail
