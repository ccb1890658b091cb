#include "lm/causal_lm.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include "lm/adapter_factors.h"

#include "io/hf_model_folder.h"
#include "io/io_error.h"
#include "lm/decoder.h"
#include "lm/kv_cache_state.h"
#include "lm/lora_attachment.h"
#include "lm/model_weights.h"

namespace mg::lm {

struct CausalLm::Impl {
  std::string folder;
  LmConfig config;
  std::unique_ptr<io::HfModelFolder> files;
  std::shared_ptr<const io::TensorSource> givenWeights; // LoadOptions::weights, kept while the model lives
  std::unique_ptr<detail::ModelWeights> weights;        // owns the mappings the tensors view
  std::unique_ptr<detail::Decoder> decoder;
  at::ScalarType dtype = at::kFloat;
  std::size_t adapters = 0;
  WeightMemory memory;
  RemoteLayers remote; // the blocks of a pipeline's other ranks, when this rank drives it

  at::Tensor mixFor(const at::Tensor* mix, std::int64_t rows) const {
    if (!mix || !mix->defined()) return {};
    if (mix->dim() != 2 || mix->size(0) != rows || mix->size(1) != static_cast<std::int64_t>(adapters))
      throw std::invalid_argument("adapter weights must be [" + std::to_string(rows) + ", " +
                                  std::to_string(adapters) + "], got " +
                                  io::shapeToString(mix->sizes().vec()));
    return mix->to(dtype);
  }
};

CausalLm::CausalLm(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CausalLm::~CausalLm() = default;

std::unique_ptr<CausalLm> CausalLm::load(const std::string& folder, const LoadOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->folder = folder;
  impl->config = LmConfig::fromFolder(folder);
  impl->dtype = options.dtype == ComputeDtype::BF16 ? at::kBFloat16 : at::kFloat;
  impl->givenWeights = options.weights;
  if (options.freshWeightsSeed) {
    impl->weights = std::make_unique<detail::ModelWeights>(detail::FreshWeights{*options.freshWeightsSeed},
                                                           impl->dtype, folder);
  } else {
    if (!impl->givenWeights) impl->files = std::make_unique<io::HfModelFolder>(folder);
    impl->weights = std::make_unique<detail::ModelWeights>(impl->givenWeights ? *impl->givenWeights
                                                                              : impl->files->weights(),
                                                           impl->dtype, options.writableWeights);
  }
  impl->decoder = impl->config.architecture == Architecture::Gpt2
                      ? detail::makeGpt2Decoder(impl->config, *impl->weights, options.stage)
                      : detail::makeLlamaDecoder(impl->config, *impl->weights, options.stage);
  impl->weights->throwIfProblems();
  detail::attachAdapters(options.adapters, impl->decoder->projections(), impl->dtype,
                         impl->config.architectureName + " " + folder);
  impl->adapters = options.adapters.size();
  impl->memory = {impl->weights->mappedBytes(), impl->weights->copiedBytes()};
  for (const auto* p : impl->decoder->projections()) {
    for (const auto& f : p->adapters)
      impl->memory.copiedBytes += (f.a.numel() + f.b.numel()) * at::elementSize(impl->dtype);
    for (const auto& v : p->ia3)
      impl->memory.copiedBytes += v.l.numel() * at::elementSize(impl->dtype);
  }
  return std::unique_ptr<CausalLm>(new CausalLm(std::move(impl)));
}

const LmConfig& CausalLm::config() const {
  return impl_->config;
}
const std::string& CausalLm::folder() const {
  return impl_->folder;
}
std::size_t CausalLm::adapterCount() const {
  return impl_->adapters;
}
WeightMemory CausalLm::weightMemory() const {
  return impl_->memory;
}

std::vector<AdapterFactors> CausalLm::adapterFactors() const {
  std::vector<AdapterFactors> out;
  for (const auto* p : impl_->decoder->projections())
    for (const auto& f : p->adapters)
      out.push_back({p->module, f.adapter, f.a, f.b, f.scaling});
  return out;
}

std::vector<Ia3Vector> CausalLm::ia3Vectors() const {
  std::vector<Ia3Vector> out;
  for (const auto* p : impl_->decoder->projections())
    for (const auto& v : p->ia3)
      out.push_back({p->module, v.adapter, v.l, v.feedforward});
  return out;
}

std::vector<NamedParameter> CausalLm::parameters() const {
  std::vector<NamedParameter> out;
  for (const auto& [name, tensor] : impl_->weights->fetched())
    out.push_back({name, tensor});
  return out;
}

std::vector<std::string> CausalLm::linearModules() const {
  std::vector<std::string> out;
  for (const auto* p : impl_->decoder->projections())
    out.push_back(p->module);
  return out;
}

void CausalLm::setAdapterDropout(double p, std::uint64_t seed) {
  if (!(p >= 0 && p < 1)) throw std::invalid_argument("LoRA dropout must be in [0, 1)");
  auto generator = at::detail::createCPUGenerator(seed);
  for (auto* projection : impl_->decoder->projections()) {
    projection->adapterDropout = p;
    projection->dropoutGenerator = generator; // one stream for the whole model, in module order
  }
}

std::string CausalLm::lmHeadParameter() const {
  for (const auto& [name, tensor] : impl_->weights->fetched())
    if (tensor.is_same(impl_->decoder->lmHead.weight)) return name;
  return "lm_head.weight";
}

std::string CausalLm::describe() const {
  auto out = impl_->config.describe() + " from " + impl_->folder;
  if (impl_->adapters)
    out += " + " + std::to_string(impl_->adapters) + (impl_->adapters == 1 ? " adapter" : " adapters");
  return out;
}

at::Tensor CausalLm::hiddenStates(const at::Tensor& ids, KvCache* cache, const at::Tensor* mix,
                                  ModuleInputObserver* observer) const {
  if (ids.dim() != 2 || ids.scalar_type() != at::kLong)
    throw std::invalid_argument("token ids must be an int64 tensor [batch, tokens]");
  if (ids.numel() > 0) {
    const auto low = ids.min().item<std::int64_t>(), high = ids.max().item<std::int64_t>();
    if (low < 0 || high >= impl_->config.vocabSize)
      throw std::invalid_argument("token id " + std::to_string(low < 0 ? low : high) +
                                  " is outside the vocabulary of " + std::to_string(impl_->config.vocabSize));
  }
  detail::Step step;
  step.mix = impl_->mixFor(mix, ids.size(0));
  step.observer = observer;
  if (cache) {
    step.cache = &cache->state();
    step.start = cache->length();
  }
  if (impl_->remote) {
    if (cache || step.mix.defined() || observer)
      throw std::invalid_argument(
          "a pipeline over ranks runs without a KV cache, adapter weights or observers");
    const auto mine = impl_->decoder->layers(impl_->decoder->embed(ids, step), step);
    return impl_->decoder->finish(impl_->remote(mine, step.start));
  }
  auto hidden = impl_->decoder->hidden(ids, step);
  if (cache) step.cache->commit(ids.size(1));
  return hidden;
}

void CausalLm::setRemoteLayers(RemoteLayers remote) {
  impl_->remote = std::move(remote);
}

at::Tensor CausalLm::stageLayers(const at::Tensor& x, std::int64_t start) const {
  detail::Step step;
  step.start = start;
  return impl_->decoder->layers(x, step);
}

at::Tensor CausalLm::logits(const at::Tensor& hidden, const at::Tensor* mix,
                            ModuleInputObserver* observer) const {
  const auto h = hidden.scalar_type() == impl_->dtype ? hidden : hidden.to(impl_->dtype);
  const auto out = impl_->decoder->lmHead(h, impl_->mixFor(mix, hidden.size(0)), observer);
  return out.scalar_type() == at::kFloat ? out : out.to(at::kFloat);
}

at::Tensor CausalLm::forward(const at::Tensor& ids, KvCache* cache, const at::Tensor* mix,
                             at::Tensor* lastHidden) const {
  const auto hidden = hiddenStates(ids, cache, mix);
  if (lastHidden) *lastHidden = hidden.to(at::kFloat);
  return logits(hidden, mix);
}

} // namespace mg::lm
