// GPT-2 (GPT2LMHeadModel): token plus learned position embeddings, then per layer
// x += c_proj(attention(split(c_attn(LN(x))))) and x += c_proj(gelu_new(c_fc(LN(x)))), a final LayerNorm and
// the LM head tied to the token embeddings. Its linear modules are Conv1D: weights stored [in, out].
#include <ATen/ATen.h>

#include <cmath>

#include "lm/decoder.h"
#include "lm/kv_cache_state.h"
#include "lm/model_weights.h"

namespace mg::lm::detail {

namespace {

struct Gpt2Layer {
  at::Tensor ln1Weight, ln1Bias, ln2Weight, ln2Bias;
  Projection attn, attnProj, fc, mlpProj;
};

class Gpt2Decoder final : public Decoder {
public:
  Gpt2Decoder(const LmConfig& config, ModelWeights& w, const LayerStage& stage)
      : config_(config), first_(stage.first) {
    const auto d = config.hiddenSize, ff = config.intermediateSize;
    // Checkpoints of GPT2LMHeadModel name the trunk "transformer.*"; those saved from GPT2Model omit it.
    const auto fetch = [&](const std::string& name, const std::vector<std::int64_t>& shape) {
      return w.fetch({"transformer." + name, name}, shape);
    };
    const auto conv1d = [&](const std::string& module, std::int64_t in, std::int64_t out) {
      Projection p;
      p.module = "transformer." + module;
      p.conv1d = true;
      p.weight = fetch(module + ".weight", {in, out});
      p.bias = fetch(module + ".bias", {out});
      return p;
    };
    if (stage.ends) {
      wte_ = fetch("wte.weight", {config.vocabSize, d});
      wpe_ = fetch("wpe.weight", {config.maxPositions, d});
    }
    for (std::int64_t i = 0; i < config.layers; ++i) {
      if (!stage.holds(i)) continue;
      const auto prefix = "h." + std::to_string(i) + ".";
      Gpt2Layer layer;
      layer.ln1Weight = fetch(prefix + "ln_1.weight", {d});
      layer.ln1Bias = fetch(prefix + "ln_1.bias", {d});
      layer.ln2Weight = fetch(prefix + "ln_2.weight", {d});
      layer.ln2Bias = fetch(prefix + "ln_2.bias", {d});
      layer.attn = conv1d(prefix + "attn.c_attn", d, 3 * d);
      layer.attnProj = conv1d(prefix + "attn.c_proj", d, d);
      layer.fc = conv1d(prefix + "mlp.c_fc", d, ff);
      layer.mlpProj = conv1d(prefix + "mlp.c_proj", ff, d);
      layers_.push_back(std::move(layer));
    }
    lmHead.module = "lm_head";
    if (!stage.ends) return;
    lnfWeight_ = fetch("ln_f.weight", {d});
    lnfBias_ = fetch("ln_f.bias", {d});
    lmHead.weight = config.tieWordEmbeddings || !w.has("lm_head.weight")
                        ? wte_
                        : w.fetch({"lm_head.weight"}, {config.vocabSize, d});
  }

  at::Tensor embed(const at::Tensor& ids, const Step& step) const override {
    const auto T = ids.size(1);
    if (step.start + T > config_.maxPositions)
      throw std::invalid_argument(
          "GPT-2 reads at most n_positions = " + std::to_string(config_.maxPositions) + " tokens, got " +
          std::to_string(step.start + T));
    return at::embedding(wte_, ids) + wpe_.narrow(0, step.start, T);
  }

  at::Tensor finish(const at::Tensor& x) const override {
    return at::layer_norm(x, {config_.hiddenSize}, lnfWeight_, lnfBias_, config_.normEps);
  }

  at::Tensor layers(at::Tensor x, const Step& step) const override {
    const auto B = x.size(0), T = x.size(1), d = config_.hiddenSize, H = config_.heads, D = config_.headDim;
    for (std::size_t own = 0; own < layers_.size(); ++own) {
      const auto& layer = layers_[own];
      const std::size_t i = own + static_cast<std::size_t>(first_); // the block's index in the whole model
      const auto h = at::layer_norm(x, {d}, layer.ln1Weight, layer.ln1Bias, config_.normEps);
      const auto qkv = layer.attn(h, step.mix, step.observer).view({B, T, 3, H, D});
      const auto q = qkv.select(2, 0).transpose(1, 2);
      auto k = qkv.select(2, 1).transpose(1, 2);
      auto v = qkv.select(2, 2).transpose(1, 2);
      if (step.cache) std::tie(k, v) = step.cache->append(i, k, v);
      double scale = 1.0 / std::sqrt(static_cast<double>(D));
      if (config_.scaleAttnByInverseLayerIdx) scale /= static_cast<double>(i + 1);
      x = x +
          layer.attnProj(causalAttention(q.contiguous(), k, v, scale, std::nullopt), step.mix, step.observer);
      const auto g = at::layer_norm(x, {d}, layer.ln2Weight, layer.ln2Bias, config_.normEps);
      const auto a = layer.fc(g, step.mix, step.observer);
      x = x + layer.mlpProj(config_.activation == "gelu" ? at::gelu(a) : at::gelu(a, "tanh"), step.mix,
                            step.observer);
    }
    return x;
  }

  std::vector<Projection*> projections() override {
    std::vector<Projection*> out;
    for (auto& l : layers_)
      for (auto* p : {&l.attn, &l.attnProj, &l.fc, &l.mlpProj})
        out.push_back(p);
    if (lmHead.weight.defined()) out.push_back(&lmHead); // a pipeline stage without the ends has none
    return out;
  }

private:
  LmConfig config_;
  std::int64_t first_ = 0; // the index of layers_[0] in the model
  at::Tensor wte_, wpe_, lnfWeight_, lnfBias_;
  std::vector<Gpt2Layer> layers_;
};

} // namespace

std::unique_ptr<Decoder> makeGpt2Decoder(const LmConfig& config, ModelWeights& weights,
                                         const LayerStage& stage) {
  return std::make_unique<Gpt2Decoder>(config, weights, stage);
}

} // namespace mg::lm::detail
