#include "lm/projection.h"

#include <ATen/ATen.h>

#include "lm/module_inputs.h"

namespace mg::lm::detail {

at::Tensor Projection::ia3Scale(const at::Tensor& h, const at::Tensor& mix) const {
  if (ia3.size() == 1 && !mix.defined()) return ia3.front().l.reshape(-1); // PEFT's l itself, not 1 + (l − 1)
  std::vector<std::int64_t> shape(h.dim(), 1);
  shape[0] = h.size(0);
  at::Tensor s;
  for (const auto& v : ia3) {
    auto deviation = v.l.reshape(-1) - 1;
    if (mix.defined()) {
      const auto w = mix.select(1, static_cast<std::int64_t>(v.adapter)).to(deviation.scalar_type());
      deviation = deviation * w.view(shape);
    }
    s = s.defined() ? s + deviation : deviation;
  }
  return s + 1;
}

at::Tensor Projection::operator()(const at::Tensor& h, const at::Tensor& mix,
                                  ModuleInputObserver* observer) const {
  if (observer) observer->observe(module, h);
  // IA³: the feed-forward scaling applies to the base layer's input, the other one to its output. Autograd
  // needs the unscaled output when a vector is trained, so the in-place form only runs without it.
  const at::Tensor scale = ia3.empty() ? at::Tensor() : ia3Scale(h, mix);
  const bool scalesInput = scale.defined() && ia3.front().feedforward;
  const at::Tensor input = scalesInput ? h * scale : h;
  at::Tensor y;
  if (conv1d) {
    // Conv1D keeps [in, out]: one addmm on the flattened rows, no transposed copy of the weight.
    const auto rows = input.reshape({-1, input.size(-1)});
    auto flat = bias.defined() ? at::addmm(bias, rows, weight) : at::mm(rows, weight);
    auto shape = h.sizes().vec();
    shape.back() = weight.size(1);
    y = flat.view(shape);
  } else {
    y = at::linear(input, weight, bias);
  }
  if (scale.defined() && !scalesInput)
    y = at::GradMode::is_enabled() && recordsGradient() ? y * scale : y.mul_(scale);
  // LoRA dropout (PEFT's lora_dropout(x) before A): inverted dropout while training, nothing in evaluation,
  // which runs without autograd.
  const auto x = adapterDropout > 0 && !adapters.empty() && at::GradMode::is_enabled()
                     ? h * at::bernoulli(at::empty_like(h), 1.0 - adapterDropout, dropoutGenerator)
                               .div_(1.0 - adapterDropout)
                     : h;
  for (const auto& f : adapters) {
    const auto update = at::matmul(at::matmul(x, f.a.t()), f.b.t());
    if (!mix.defined()) {
      y.add_(update, f.scaling);
      continue;
    }
    std::vector<std::int64_t> shape(h.dim(), 1);
    shape[0] = h.size(0);
    const auto w = mix.select(1, static_cast<std::int64_t>(f.adapter)).to(y.scalar_type()) * f.scaling;
    y.add_(update * w.view(shape));
  }
  return y;
}

} // namespace mg::lm::detail
