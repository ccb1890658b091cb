#include "weights/adapter_weights.h"

#include <ATen/ATen.h>

#include "io/io_error.h"
#include "ops/lora_ops.h"
#include "tensor/torch_convert.h"

namespace mg::engine {
namespace {

// The adapter checks itself against a TensorSource; this one exposes a WeightSet's names and shapes
// (the base may itself be a merge, never materialized here).
class InfoOnlySource final : public io::TensorSource {
public:
  explicit InfoOnlySource(const WeightSet& w) : w_(w), path_(w.describe()) {}
  io::SourceKind kind() const override { return io::SourceKind::Safetensors; }
  const std::string& path() const override { return path_; }
  const std::vector<io::TensorInfo>& tensors() const override { return w_.tensors(); }
  const std::map<std::string, std::string>& metadata() const override { return metadata_; }
  io::TensorData load(const std::string& name) const override {
    throw std::logic_error("InfoOnlySource does not load data (" + name + ")");
  }

private:
  const WeightSet& w_;
  std::string path_;
  std::map<std::string, std::string> metadata_;
};

} // namespace

ops::LoraLayout loraLayoutOf(const io::PeftAdapter& adapter, const io::LoraModule& m) {
  if (m.embedding) return ops::LoraLayout::Embedding;
  return adapter.config().fanInFanOut ? ops::LoraLayout::FanInFanOut : ops::LoraLayout::Linear;
}

at::Tensor loraUpdateOf(const io::PeftAdapter& adapter, const io::LoraModule& m) {
  const at::Tensor a = tensor::toTorchFloat32(adapter.load(m.loraA));
  const at::Tensor b = tensor::toTorchFloat32(adapter.load(m.loraB));
  return ops::loraDelta(a, b, m.scaling, loraLayoutOf(adapter, m));
}

at::Tensor ia3Scaled(const at::Tensor& w, const at::Tensor& l, bool feedforward, bool fanInFanOut) {
  const bool swapped = w.dim() == 2 && fanInFanOut; // Conv1D keeps [in, out]
  std::vector<std::int64_t> shape(static_cast<std::size_t>(w.dim()), 1);
  shape[(feedforward != swapped) ? 1 : 0] = l.numel();
  return w * l.reshape(shape).to(w.scalar_type());
}

AdapterWeights::AdapterWeights(WeightSetPtr base, std::shared_ptr<const io::PeftAdapter> adapter)
    : base_(std::move(base)), adapter_(std::move(adapter)) {
  adapter_->validateAgainst(InfoOnlySource(*base_));
  for (const auto& m : adapter_->modules())
    byTensor_[m.baseTensor] = &m;
  for (const auto& m : adapter_->ia3Modules()) {
    ia3ByTensor_[m.baseTensor] = &m;
    const std::string bias = m.module + ".bias";
    if (!m.feedforward && base_->find(bias)) ia3ByTensor_[bias] = &m;
  }
}

std::string AdapterWeights::describe() const {
  return adapter_->path() + " on " + base_->describe();
}

const io::LoraModule* AdapterWeights::moduleFor(const std::string& name) const {
  const auto it = byTensor_.find(name);
  return it == byTensor_.end() ? nullptr : it->second;
}

const io::Ia3Module* AdapterWeights::ia3ModuleFor(const std::string& name) const {
  const auto it = ia3ByTensor_.find(name);
  return it == ia3ByTensor_.end() ? nullptr : it->second;
}

at::Tensor AdapterWeights::load(const std::string& name) const {
  if (const auto r = adapter_->replacements().find(name); r != adapter_->replacements().end())
    return tensor::toTorchFloat32(adapter_->load(r->second));
  if (const io::Ia3Module* m = ia3ModuleFor(name)) {
    const at::Tensor l = tensor::toTorchFloat32(adapter_->load(m->key));
    const at::Tensor w = base_->load(name);
    if (name != m->baseTensor) return w * l.reshape(w.sizes()).to(w.scalar_type()); // the bias
    return ia3Scaled(w, l, m->feedforward, adapter_->config().fanInFanOut);
  }
  const io::LoraModule* m = moduleFor(name);
  at::Tensor w = base_->load(name);
  if (!m) return w;
  const at::Tensor d = loraUpdateOf(*adapter_, *m);
  if (!m->magnitude) return w + d;
  const at::Tensor magnitude = tensor::toTorchFloat32(adapter_->load(*m->magnitude));
  return ops::doraMerge(w, d, magnitude, loraLayoutOf(*adapter_, *m));
}

at::Tensor AdapterWeights::delta(const std::string& name) const {
  const io::LoraModule* m = moduleFor(name);
  const bool replaced = adapter_->replacements().count(name) != 0;
  if (ia3ModuleFor(name)) return load(name) - base_->load(name);
  if (!m && !replaced) return {};
  if (m && !m->magnitude && !replaced) return loraUpdateOf(*adapter_, *m); // exact, without reading the base
  return load(name) - base_->load(name);
}

std::optional<ops::LoraFactors> AdapterWeights::factors(const std::string& name) const {
  const io::LoraModule* m = moduleFor(name);
  if (!m) return std::nullopt;
  return ops::LoraFactors{tensor::toTorchFloat32(adapter_->load(m->loraA)),
                          tensor::toTorchFloat32(adapter_->load(m->loraB)), m->scaling,
                          loraLayoutOf(*adapter_, *m)};
}

} // namespace mg::engine
