#include "lm/projection.h"

#include <ATen/ATen.h>

#include "lm/module_inputs.h"

namespace mg::lm::detail {

at::Tensor Projection::operator()(const at::Tensor& h, const at::Tensor& mix,
                                  ModuleInputObserver* observer) const {
  if (observer) observer->observe(module, h);
  at::Tensor y;
  if (conv1d) {
    // Conv1D keeps [in, out]: one addmm on the flattened rows, no transposed copy of the weight.
    const auto rows = h.reshape({-1, h.size(-1)});
    auto flat = bias.defined() ? at::addmm(bias, rows, weight) : at::mm(rows, weight);
    auto shape = h.sizes().vec();
    shape.back() = weight.size(1);
    y = flat.view(shape);
  } else {
    y = at::linear(h, weight, bias);
  }
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
