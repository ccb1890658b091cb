// The Llama family (LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM): token embeddings, then per
// layer x += o_proj(attention(RoPE(q), RoPE(k), v)) on RMSNorm(x) and x += down(silu(gate) * up) on
// RMSNorm(x), a final RMSNorm and the LM head (tied to the embeddings when tie_word_embeddings).
#include <ATen/ATen.h>

#include <algorithm>
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
  LlamaDecoder(const LmConfig& config, ModelWeights& w, const LayerStage& stage)
      : config_(config), rope_(config), first_(stage.first) {
    const auto d = config.hiddenSize, qOut = config.heads * config.headDim,
               kvOut = config.kvHeads * config.headDim, ff = config.intermediateSize;
    if (stage.ends) embed_ = w.fetch({"model.embed_tokens.weight"}, {config.vocabSize, d});
    const auto linear = [&](const std::string& module, std::int64_t out, std::int64_t in, bool bias) {
      Projection p;
      p.module = module;
      p.weight = w.fetch({module + ".weight"}, {out, in});
      if (bias) p.bias = w.fetch({module + ".bias"}, {out});
      return p;
    };
    for (std::int64_t i = 0; i < config.layers; ++i) {
      if (!stage.holds(i)) continue;
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
    lmHead.module = "lm_head";
    if (!stage.ends) return;
    norm_ = w.fetch({"model.norm.weight"}, {d});
    lmHead.weight = config.tieWordEmbeddings ? embed_ : w.fetch({"lm_head.weight"}, {config.vocabSize, d});
  }

  at::Tensor embed(const at::Tensor& ids, const Step&) const override { return at::embedding(embed_, ids); }
  at::Tensor finish(const at::Tensor& x) const override { return rmsNorm(x, norm_, config_.normEps); }

  at::Tensor layers(at::Tensor x, const Step& step) const override {
    const auto B = x.size(0), T = x.size(1);
    const auto [cos, sin] = rope_.angles(at::arange(step.start, step.start + T, at::kLong));
    const double scale = 1.0 / std::sqrt(static_cast<double>(config_.headDim));
    for (std::size_t own = 0; own < layers_.size(); ++own) {
      const auto& layer = layers_[own];
      const std::size_t i = own + static_cast<std::size_t>(first_); // the block's index in the whole model
      at::Tensor attended;
      {
        // The normed input lives until q, k and v are made, they until the attention is done: each
        // [B, T, hidden] activation is freed as soon as it is used.
        at::Tensor q, k, v;
        {
          const auto h = rmsNorm(x, layer.inputNorm, config_.normEps);
          const auto heads = [&](const Projection& p, std::int64_t n) {
            return p(h, step.mix, step.observer).view({B, T, n, config_.headDim}).transpose(1, 2);
          };
          q = Rope::apply(heads(layer.q, config_.heads), cos, sin);
          k = Rope::apply(heads(layer.k, config_.kvHeads), cos, sin);
          v = heads(layer.v, config_.kvHeads);
        }
        if (step.cache) std::tie(k, v) = step.cache->append(i, k, v);
        const auto window =
            config_.slidingAt(static_cast<std::int64_t>(i)) ? config_.slidingWindow : std::nullopt;
        attended = causalAttention(q, k, v, scale, window);
      }
      const auto update = layer.o(attended, step.mix, step.observer);
      attended.reset();
      const bool training =
          at::GradMode::is_enabled() &&
          (update.requires_grad() || x.requires_grad() || layer.postAttentionNorm.requires_grad() ||
           layer.gate.recordsGradient() || layer.up.recordsGradient() || layer.down.recordsGradient());
      // An observer (lm/module_inputs.h) sees each module's whole input: the out-of-place path too.
      if (training || step.observer) { // autograd needs the activations the in-place forms overwrite
        x = x + update;
        const auto g = rmsNorm(x, layer.postAttentionNorm, config_.normEps);
        x = x + layer.down(at::silu(layer.gate(g, step.mix, step.observer)) *
                               layer.up(g, step.mix, step.observer),
                           step.mix, step.observer);
        continue;
      }
      x.add_(update);
      mlpInPlace(layer, x, step.mix);
    }
    return x;
  }

  std::vector<Projection*> projections() override {
    std::vector<Projection*> out;
    for (auto& l : layers_)
      for (auto* p : {&l.q, &l.k, &l.v, &l.o, &l.gate, &l.up, &l.down})
        out.push_back(p);
    if (lmHead.weight.defined()) out.push_back(&lmHead); // a pipeline stage without the ends has none
    return out;
  }

private:
  // x += down(silu(gate(g)) · up(g)) with g = RMSNorm(x), in place and a block of rows at a time: the MLP's
  // two [rows, intermediate] activations are the widest of a layer (8 × 2048 tokens of a 14336-wide MLP: 940
  // MB each); 4096 rows at a time bound them, and smaller blocks ran slower on 2 busy threads. Rows are
  // independent, so the blocks give the same result.
  void mlpInPlace(const LlamaLayer& layer, at::Tensor& x, const at::Tensor& mix) const {
    const auto g = rmsNorm(x, layer.postAttentionNorm, config_.normEps);
    const auto apply = [&](const at::Tensor& part, at::Tensor out, const at::Tensor& partMix) {
      auto gate = layer.gate(part, partMix);
      at::silu_(gate);
      out.add_(layer.down(gate.mul_(layer.up(part, partMix)), partMix));
    };
    if (mix.defined()) { // adapter weights are per sequence: blocks of whole sequences
      const auto perBlock = std::max<std::int64_t>(1, kMlpRows / x.size(1));
      for (std::int64_t b = 0; b < x.size(0); b += perBlock) {
        const auto n = std::min(perBlock, x.size(0) - b);
        apply(g.narrow(0, b, n), x.narrow(0, b, n), mix.narrow(0, b, n));
      }
      return;
    }
    const auto d = x.size(-1), rows = x.numel() / d;
    const auto flatG = g.view({rows, d});
    const auto flatX = x.view({rows, d});
    for (std::int64_t r = 0; r < rows; r += kMlpRows) {
      const auto n = std::min(kMlpRows, rows - r);
      apply(flatG.narrow(0, r, n), flatX.narrow(0, r, n), mix);
    }
  }

  static constexpr std::int64_t kMlpRows = 4096;
  LmConfig config_;
  Rope rope_;
  std::int64_t first_ = 0; // the index of layers_[0] in the model
  at::Tensor embed_, norm_;
  std::vector<LlamaLayer> layers_;
};

} // namespace

std::unique_ptr<Decoder> makeLlamaDecoder(const LmConfig& config, ModelWeights& weights,
                                          const LayerStage& stage) {
  return std::make_unique<LlamaDecoder>(config, weights, stage);
}

} // namespace mg::lm::detail
