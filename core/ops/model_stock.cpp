// Spec, "model_stock"; mirrors mergekit/merge_methods/model_stock.py.
#include "ops/model_stock.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace mg::ops {

at::Tensor modelStock(const std::vector<at::Tensor>& inputs, const at::Tensor& base, bool filterWise) {
  const auto n = static_cast<std::int64_t>(inputs.size());
  if (n < 2) {
    throw std::invalid_argument("model_stock needs at least 2 inputs besides the base, got " +
                                std::to_string(n));
  }
  // The vectors as the rows of a matrix: with filterWise those along the last dimension (mergekit: a
  // 2-D weight's rows, a 3-D tensor's innermost vectors, a 1-D tensor one vector), else the whole tensor.
  const auto rows = [&](const at::Tensor& x) {
    const auto x32 = x.to(at::kFloat);
    return filterWise && x32.dim() > 1 ? x32.reshape({-1, x32.size(-1)}) : x32.reshape({1, -1});
  };
  const auto w0 = rows(base);
  std::vector<at::Tensor> offsets;
  auto sum = at::zeros_like(w0);
  for (const auto& input : inputs) {
    const auto w = rows(input);
    sum.add_(w);
    offsets.push_back(w - w0);
  }

  auto cosSum = at::zeros({w0.size(0), 1}, w0.options());
  std::int64_t pairs = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = i + 1; j < n; ++j) {
      const auto normProduct = offsets[i].norm(2, {1}, true) * offsets[j].norm(2, {1}, true);
      const auto dot = (offsets[i] * offsets[j]).sum(1, true);
      cosSum.add_((dot / normProduct.clamp_min(1e-6)).clamp(-1, 1));
      ++pairs;
    }
  }
  const auto cos = cosSum / static_cast<double>(pairs);
  const auto denominator = 1 + (n - 1) * cos;
  if ((denominator.abs() < 1e-12).any().item<bool>()) {
    throw std::invalid_argument("model_stock: the task vectors point in exactly opposite directions "
                                "(mean cosine -1/(N-1)), so the interpolation ratio is undefined");
  }
  const auto t = n * cos / denominator;
  const auto mean = sum / static_cast<double>(n);
  return (t * mean + (1 - t) * w0).reshape(base.sizes());
}

} // namespace mg::ops
