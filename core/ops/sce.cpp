// Spec, "sce"; mirrors mergekit/merge_methods/sce.py.
#include "ops/sce.h"

#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

#include "ops/precision.h"

namespace mg::ops {

namespace {

// Select: 1 at the k positions of highest variance across inputs, k = int(topK·#positions with nonzero
// variance). mergekit keeps nothing when k = 0, so no error here.
// The variance as the compute dtype holds it (mergekit ranks the rounded values; equal ones by index here).
at::Tensor varianceMask(const at::Tensor& stacked, double topK, Precision precision) {
  const auto variance = rounded(stacked.var(0, /*unbiased=*/false), precision).reshape(-1);
  const auto nonZero = variance.count_nonzero().item<std::int64_t>();
  const auto k = static_cast<std::int64_t>(topK * static_cast<double>(nonZero));
  auto mask = at::zeros_like(variance);
  if (k > 0) {
    const auto order = std::get<1>(at::sort(variance.abs(), /*stable=*/true, 0, /*descending=*/true));
    mask.index_fill_(0, order.slice(0, 0, k), 1.0);
  }
  return mask.view(stacked.sizes().slice(1));
}

} // namespace

at::Tensor sceMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base, double selectTopK,
                    Precision precision) {
  if (inputs.empty()) {
    throw std::invalid_argument("sce needs at least 1 input, got 0");
  }
  // In bf16 / f16 every operation's result is rounded to that dtype, as mergekit's torch code does.
  const auto r = [precision](const at::Tensor& x) { return rounded(x, precision); };
  const auto base32 = base.to(at::kFloat);
  std::vector<at::Tensor> taus;
  for (const auto& input : inputs) {
    taus.push_back(r(input.to(at::kFloat) - base32));
  }
  auto stacked = at::stack(taus); // [N, ...]; the variance needs all inputs at once anyway
  taus.clear();
  if (selectTopK < 1.0) {
    stacked.mul_(varianceMask(stacked, selectTopK, precision));
  }

  // Calculate: matrix-level weights from the mean squared task vector; equal weights when their sum is
  // below 1e-6 (mergekit), which fine-tuned LLM task vectors (entries ~1e-4) often are.
  const auto n = stacked.size(0);
  auto weights = r(r(stacked.pow(2)).reshape({n, -1}).mean(1));
  const double weightSum = r(weights.sum()).item<double>();
  weights = r(std::abs(weightSum) < 1e-6 ? at::full_like(weights, 1.0 / static_cast<double>(n))
                                         : weights / weightSum);
  std::vector<std::int64_t> weightShape(static_cast<std::size_t>(stacked.dim()), 1);
  weightShape[0] = n;
  weights = weights.view(weightShape);

  // Erase: the TIES sign mask on the unweighted task vectors.
  const auto majority = (stacked.sum(0) >= 0).to(at::kFloat) * 2 - 1;
  const auto erasedWeights = weights * (stacked.sign() == majority).to(at::kFloat);
  const auto mixed = r(r(stacked * erasedWeights).sum(0));
  const auto divisor = r(erasedWeights.sum(0)).clamp_min(roundValue(1e-6f, precision)); // clamped (mergekit)
  return r(base32 + r(mixed / divisor));
}

} // namespace mg::ops
