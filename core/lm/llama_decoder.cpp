// The Llama family (LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM): token embeddings, then per
// layer x += o_proj(attention(RoPE(q), RoPE(k), v)) on RMSNorm(x) and x += down(silu(gate) * up) on
// RMSNorm(x), a final RMSNorm and the LM head (tied to the embeddings when tie_word_embeddings).
#include <ATen/ATen.h>

#include <cmath>

#include "lm/decoder.h"
#include "lm/kv_cache_state.h"
#include "lm/model_weights.h"
#include "lm/rope.h"

namespace mg::lm::detail {

namespace {

// RMSNorm in float32, scaled by the weight in the compute dtype (as the reference implementation does).
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  const auto f = x.scalar_type() == at::kFloat ? x : x.to(at::kFloat);
  const auto normed = f * at::rsqrt(f.pow(2).mean(-1, true) + eps);
  return weight * (x.scalar_type() == at::kFloat ? normed : normed.to(x.scalar_type()));
}

struct LlamaLayer {
  at::Tensor inputNorm, postAttentionNorm;
  Projection q, k, v, o, gate, up, down;
};

class LlamaDecoder final : public Decoder {
public:
  LlamaDecoder(const LmConfig& config, ModelWeights& w) : config_(config), rope_(config) {
    const auto d = config.hiddenSize, qOut = config.heads * config.headDim,
               kvOut = config.kvHeads * config.headDim, ff = config.intermediateSize;
    embed_ = w.fetch({"model.embed_tokens.weight"}, {config.vocabSize, d});
    const auto linear = [&](const std::string& module, std::int64_t out, std::int64_t in, bool bias) {
      Projection p;
      p.module = module;
      p.weight = w.fetch({module + ".weight"}, {out, in});
      if (bias) p.bias = w.fetch({module + ".bias"}, {out});
      return p;
    };
    for (std::int64_t i = 0; i < config.layers; ++i) {
      const auto prefix = "model.layers." + std::to_string(i) + ".";
      LlamaLayer layer;
      layer.inputNorm = w.fetch({prefix + "input_layernorm.weight"}, {d});
      layer.postAttentionNorm = w.fetch({prefix + "post_attention_layernorm.weight"}, {d});
      layer.q = linear(prefix + "self_attn.q_proj", qOut, d, config.qkvBias);
      layer.k = linear(prefix + "self_attn.k_proj", kvOut, d, config.qkvBias);
      layer.v = linear(prefix + "self_attn.v_proj", kvOut, d, config.qkvBias);
      layer.o = linear(prefix + "self_attn.o_proj", d, qOut, config.outputBias);
      layer.gate = linear(prefix + "mlp.gate_proj", ff, d, config.mlpBias);
      layer.up = linear(prefix + "mlp.up_proj", ff, d, config.mlpBias);
      layer.down = linear(prefix + "mlp.down_proj", d, ff, config.mlpBias);
      layers_.push_back(std::move(layer));
    }
    norm_ = w.fetch({"model.norm.weight"}, {d});
    lmHead.module = "lm_head";
    lmHead.weight = config.tieWordEmbeddings ? embed_ : w.fetch({"lm_head.weight"}, {config.vocabSize, d});
  }

  at::Tensor hidden(const at::Tensor& ids, const Step& step) const override {
    const auto B = ids.size(0), T = ids.size(1);
    auto x = at::embedding(embed_, ids);
    const auto [cos, sin] = rope_.angles(at::arange(step.start, step.start + T, at::kLong));
    const double scale = 1.0 / std::sqrt(static_cast<double>(config_.headDim));
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      const auto& layer = layers_[i];
      const auto h = rmsNorm(x, layer.inputNorm, config_.normEps);
      const auto heads = [&](const Projection& p, std::int64_t n) {
        return p(h, step.mix, step.observer).view({B, T, n, config_.headDim}).transpose(1, 2);
      };
      const auto q = Rope::apply(heads(layer.q, config_.heads), cos, sin);
      auto k = Rope::apply(heads(layer.k, config_.kvHeads), cos, sin);
      auto v = heads(layer.v, config_.kvHeads);
      if (step.cache) std::tie(k, v) = step.cache->append(i, k, v);
      const auto window =
          config_.slidingAt(static_cast<std::int64_t>(i)) ? config_.slidingWindow : std::nullopt;
      x = x + layer.o(causalAttention(q, k, v, scale, window), step.mix, step.observer);
      const auto g = rmsNorm(x, layer.postAttentionNorm, config_.normEps);
      auto gate = layer.gate(g, step.mix, step.observer);
      if (gate.requires_grad()) { // training: autograd needs the activations the in-place form overwrites
        x = x + layer.down(at::silu(gate) * layer.up(g, step.mix, step.observer), step.mix, step.observer);
        continue;
      }
      at::silu_(gate); // in place: the MLP's activations are the widest of a layer
      x = x + layer.down(gate.mul_(layer.up(g, step.mix, step.observer)), step.mix, step.observer);
    }
    return rmsNorm(x, norm_, config_.normEps);
  }

  std::vector<Projection*> projections() override {
    std::vector<Projection*> out;
    for (auto& l : layers_)
      for (auto* p : {&l.q, &l.k, &l.v, &l.o, &l.gate, &l.up, &l.down})
        out.push_back(p);
    out.push_back(&lmHead);
    return out;
  }

private:
  LmConfig config_;
  Rope rope_;
  at::Tensor embed_, norm_;
  std::vector<LlamaLayer> layers_;
};

} // namespace

std::unique_ptr<Decoder> makeLlamaDecoder(const LmConfig& config, ModelWeights& weights) {
  return std::make_unique<LlamaDecoder>(config, weights);
}

} // namespace mg::lm::detail
