#pragma once
// Internal to core/lm: the network of one architecture. hidden() runs the embeddings and the blocks and
// returns the final (normalised) hidden states; the LM head turns them into logits.
#include <ATen/core/Tensor.h>

#include <memory>
#include <optional>
#include <vector>

#include "lm/layer_stage.h"
#include "lm/lm_config.h"
#include "lm/projection.h"

namespace mg::lm::detail {

class ModelWeights;
struct KvCacheState;

// What one forward pass reads besides the token ids.
struct Step {
  std::int64_t start = 0;                  // position of the first token (the cache's length)
  KvCacheState* cache = nullptr;           // keys and values of earlier tokens, appended to
  at::Tensor mix;                          // [B, K] adapter weights, or undefined
  ModuleInputObserver* observer = nullptr; // sees each linear module's input, or null
};

class Decoder {
public:
  virtual ~Decoder() = default;
  // Final hidden states [B, T, hidden] of ids [B, T] (int64) in the compute dtype: finish(layers(embed())).
  at::Tensor hidden(const at::Tensor& ids, const Step& step) const {
    return finish(layers(embed(ids, step), step));
  }
  // The three parts, apart for a pipeline over ranks (lm/pipeline_stage.h): the token (and position)
  // embeddings; this decoder's blocks on activations [B, T, hidden] at positions step.start onwards; the
  // final norm. A stage without the ends (LayerStage::ends false) has no embed() or finish().
  virtual at::Tensor embed(const at::Tensor& ids, const Step& step) const = 0;
  virtual at::Tensor layers(at::Tensor x, const Step& step) const = 0;
  virtual at::Tensor finish(const at::Tensor& x) const = 0;
  // Every linear module adapters may target, lm_head included.
  virtual std::vector<Projection*> projections() = 0;
  Projection lmHead;
};

// `stage`: the blocks (and ends) to load; all of them when not given.
std::unique_ptr<Decoder> makeLlamaDecoder(const LmConfig& config, ModelWeights& weights,
                                          const LayerStage& stage);
std::unique_ptr<Decoder> makeGpt2Decoder(const LmConfig& config, ModelWeights& weights,
                                         const LayerStage& stage);

// Causal self-attention of q [B, H, T, D] over k, v [B, KV, S, D] (H a multiple of KV: query head h reads
// key/value head h / (H / KV)), the T queries sitting at positions S - T .. S - 1. `window`: a query sees
// only itself and the window - 1 keys before it. Scores are scaled by `scale`, softmax runs in float32.
// Returns [B, T, H·D].
at::Tensor causalAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, double scale,
                           std::optional<std::int64_t> window);

} // namespace mg::lm::detail
