#pragma once
// A decoder-only causal language model loaded from a Hugging Face folder (config.json + safetensors,
// single or sharded; f32, bf16 or f16 weights), run by LibTorch on the CPU. Architectures, keys and
// numerics: docs/spec/language-models.md.
//
// PEFT LoRA adapters are applied unmerged: each adapted linear module adds Σ_k w_k · s_k·(h·A_kᵀ)·B_kᵀ with
// per-sequence weights w [B, K] over the K adapters loaded with the model (every w_k = 1 when no weights
// are given, so one adapter is the plain adapted model). Routers and SMEAR pass their own weights. PEFT IA³
// adapters are applied unmerged beside them: each adapted module's output (input, for feed-forward modules)
// is scaled by s = 1 + Σ_k w_k·(l_k − 1), which is l itself for one adapter (lm/projection.h).
//
// The model is read-only after load(): forward() may run on several threads at once (each with its own
// KvCache). Batches are right-padded: causal attention never lets a real token see the padding after it,
// so padded positions' outputs are simply ignored by the caller (scoring.h, hidden_states.h).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lm/kv_cache.h"
#include "lm/layer_stage.h"
#include "lm/lm_config.h"

namespace mg::io {
class TensorSource;
}

#include <ATen/core/Tensor.h>

namespace mg::lm {

enum class ComputeDtype { F32, BF16 };

struct AdapterFactors;     // lm/adapter_factors.h
struct Ia3Vector;          // lm/adapter_factors.h
class ModuleInputObserver; // lm/module_inputs.h

struct LoadOptions {
  // f32 (default) or bf16 weights and activations; norms and softmax run in f32 either way.
  ComputeDtype dtype = ComputeDtype::F32;
  // PEFT adapter folders (LoRA or IA³), applied unmerged; their order is the order of the mixing weights'
  // columns.
  std::vector<std::string> adapters;
  // The tensors, when not the folder's own files: a merge not written to disk (the engine's merged weights).
  // The folder still gives config.json. Tensors are then copied in the compute dtype, not mapped.
  std::shared_ptr<const io::TensorSource> weights = nullptr;
  // Copy every tensor into process memory (never a view of the read-only mapping), so parameters() may be
  // changed in place: training the whole model.
  bool writableWeights = false;
  // Fresh random weights instead of any file's (Hugging Face's initialisation: N(0, 0.02²) matrices, norm
  // scales 1, biases 0; one seed gives the same model): a model to pre-train. The folder needs only
  // config.json. Implies writableWeights.
  std::optional<std::uint64_t> freshWeightsSeed;
  // The part of the model to load: all of it, or one stage of a pipeline over ranks (lm/pipeline_stage.h).
  LayerStage stage;
};

// One tensor of the model under its checkpoint name, shared with the model (tied embeddings appear once).
struct NamedParameter {
  std::string name;
  at::Tensor tensor;
};

// Where the weights live: a tensor stored in the compute dtype is a view of the memory-mapped file.
struct WeightMemory {
  std::uint64_t mappedBytes = 0; // shared with the page cache, not copied
  std::uint64_t copiedBytes = 0; // converted once into process memory (other dtypes, adapters)
};

class CausalLm {
public:
  // Throws io::IoError naming the file: an unsupported architecture (listing the supported ones), missing or
  // mis-shaped tensors (named), an adapter of a module the model does not have, DoRA or embedding LoRAs.
  static std::unique_ptr<CausalLm> load(const std::string& folder, const LoadOptions& options = {});
  ~CausalLm();

  const LmConfig& config() const;
  const std::string& folder() const;
  std::size_t adapterCount() const;
  WeightMemory weightMemory() const;
  std::string describe() const; // "LlamaForCausalLM (...) from DIR [+ 2 adapters]"
  // The loaded adapters' factors, module by module (see AdapterFactors).
  std::vector<AdapterFactors> adapterFactors() const;
  // The loaded IA³ adapters' vectors, module by module in forward order (see Ia3Vector).
  std::vector<Ia3Vector> ia3Vectors() const;
  // The model's own tensors (not the adapters'), in checkpoint order. Setting requires_grad on them makes the
  // forward record autograd (Fisher information, training); changing them in place needs writableWeights or
  // freshWeightsSeed (a mapped tensor is read-only memory).
  std::vector<NamedParameter> parameters() const;
  // The linear modules adapters may target, by checkpoint name without ".weight" ("model.layers.0.self_attn.
  // q_proj", GPT-2's "transformer.h.0.attn.c_attn", "lm_head"), in the order the forward runs them.
  std::vector<std::string> linearModules() const;
  // Training an adapter: PEFT's lora_dropout, each input feature of every LoRA path zeroed with probability
  // `p` (the rest scaled by 1 / (1 − p)) in forwards that record autograd, from a generator seeded with
  // `seed`; forwards without autograd (scoring, generation) never drop. 0 turns it off. Changes the model:
  // not while other threads run it.
  void setAdapterDropout(double p, std::uint64_t seed = 0);
  // The name, among parameters(), of the matrix the LM head reads: "lm_head.weight", or the token embeddings'
  // when they are tied.
  std::string lmHeadParameter() const;

  // Final hidden states [B, T, hidden] (after the last norm, in the compute dtype) of ids [B, T] (int64), at
  // positions cache->length() onwards when a cache is given (its keys and values are appended). `mix`: [B, K]
  // adapter weights, or null. `observer`, when given, sees every linear module's input (not the LM head's).
  at::Tensor hiddenStates(const at::Tensor& ids, KvCache* cache = nullptr, const at::Tensor* mix = nullptr,
                          ModuleInputObserver* observer = nullptr) const;
  // Logits [..., vocab] (float32) of hidden states [..., hidden]; `mix` [rows of the first dim, K] or null;
  // `observer` sees the LM head's input.
  at::Tensor logits(const at::Tensor& hidden, const at::Tensor* mix = nullptr,
                    ModuleInputObserver* observer = nullptr) const;
  // A pipeline over ranks (lm/pipeline_stage.h). On the rank holding the ends: `remote` runs the blocks this
  // stage does not hold (on the other ranks) on activations [B, T, hidden] at positions `start` onwards, and
  // hiddenStates() passes its activations through it before the final norm (without a KV cache or adapters).
  using RemoteLayers = std::function<at::Tensor(const at::Tensor& x, std::int64_t start)>;
  void setRemoteLayers(RemoteLayers remote);
  // On a rank serving blocks: this stage's blocks on activations [B, T, hidden] at positions `start` onwards.
  at::Tensor stageLayers(const at::Tensor& x, std::int64_t start) const;

  // Both: logits [B, T, vocab]; `lastHidden`, when given, receives hiddenStates().
  at::Tensor forward(const at::Tensor& ids, KvCache* cache = nullptr, const at::Tensor* mix = nullptr,
                     at::Tensor* lastHidden = nullptr) const;

  struct Impl;

private:
  explicit CausalLm(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace mg::lm
