// Spec, "model_stock"; mirrors mergekit/merge_methods/model_stock.py.
#include "ops/model_stock.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "ops/precision.h"

namespace mg::ops {

at::Tensor modelStock(const std::vector<at::Tensor>& inputs, const at::Tensor& base, bool filterWise,
                      Precision precision) {
  const auto n = static_cast<std::int64_t>(inputs.size());
  if (n < 2) {
    throw std::invalid_argument("model_stock needs at least 2 inputs besides the base, got " +
                                std::to_string(n));
  }
  // In bf16 / f16 every operation's result is rounded to that dtype, as mergekit's torch code does; the
  // cosines and the ratio t too (one rounding more or less there moves t by an ulp, and the output by
  // several: t multiplies the whole mean).
  const auto r = [precision](const at::Tensor& x) { return rounded(x, precision); };
  // The vectors as the rows of a matrix: with filterWise those along the last dimension (mergekit: a
  // 2-D weight's rows, a 3-D tensor's innermost vectors, a 1-D tensor one vector), else the whole tensor.
  const auto rows = [&](const at::Tensor& x) {
    const auto x32 = x.to(at::kFloat);
    return filterWise && x32.dim() > 1 ? x32.reshape({-1, x32.size(-1)}) : x32.reshape({1, -1});
  };
  const auto w0 = rows(base);
  std::vector<at::Tensor> offsets;
  at::Tensor sum; // Python's sum(ws): each partial sum rounded
  for (const auto& input : inputs) {
    const auto w = rows(input);
    sum = sum.defined() ? r(sum + w) : w.clone();
    offsets.push_back(r(w - w0));
  }

  // The pairwise cosines, then their mean (torch's mean of bf16 / f16: a float32 sum divided, rounded).
  auto cosSum = at::zeros({w0.size(0), 1}, w0.options());
  std::int64_t pairs = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = i + 1; j < n; ++j) {
      const auto normProduct = r(r(offsets[i].norm(2, {1}, true)) * r(offsets[j].norm(2, {1}, true)));
      const auto dot = r(r(offsets[i] * offsets[j]).sum(1, true));
      cosSum.add_(r(dot / normProduct.clamp_min(roundValue(1e-6f, precision))).clamp(-1, 1));
      ++pairs;
    }
  }
  const auto cos = r(cosSum / static_cast<double>(pairs));
  const auto denominator = r(1 + r((n - 1) * cos));
  if ((denominator.abs() < 1e-12).any().item<bool>()) {
    throw std::invalid_argument("model_stock: the task vectors point in exactly opposite directions "
                                "(mean cosine -1/(N-1)), so the interpolation ratio is undefined");
  }
  const auto t = r(r(n * cos) / denominator);
  const auto mean = r(sum / static_cast<double>(n));
  return r(r(t * mean) + r(r(1 - t) * w0)).reshape(base.sizes());
}

} // namespace mg::ops
