// Spec, "arcee_fusion"; mergekit/merge_methods/arcee_fusion.py. mergekit estimates the quantiles from a
// random sample above 10⁶ entries; here they are exact (std::nth_element on one float copy: O(n), and no
// int64 index tensor as at::kthvalue or at::sort would allocate).
#include "ops/arcee_fusion.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "ops/precision.h"

namespace mg::ops {

namespace {

// Ascending with NaN after every number (torch.sort's order), a strict weak order for nth_element.
bool fusionLess(float a, float b) {
  return std::isnan(b) ? !std::isnan(a) : a < b;
}

std::int64_t quantileIndex(std::int64_t n, double q) {
  // floor(q·(n − 1)) in float32, as mergekit computes it from a float32 tensor of quantiles.
  return static_cast<std::int64_t>(std::floor(static_cast<float>(q) * static_cast<float>(n - 1)));
}

// The three quantiles mergekit's threshold needs, from one copy: after nth_element at the highest index,
// the lower ones lie in the prefix, so each later selection only scans that prefix.
void fusionQuantiles(const at::Tensor& values, float& q1, float& median, float& q3) {
  const auto flat = values.reshape(-1).to(at::kFloat).contiguous();
  const std::int64_t n = flat.numel();
  std::vector<float> v(flat.data_ptr<float>(), flat.data_ptr<float>() + n);
  const auto select = [&](std::int64_t end, std::int64_t k) {
    std::nth_element(v.begin(), v.begin() + k, v.begin() + end, fusionLess);
    return v[static_cast<std::size_t>(k)];
  };
  const auto k3 = quantileIndex(n, 0.75);
  const auto k2 = quantileIndex(n, 0.5);
  const auto k1 = quantileIndex(n, 0.25);
  q3 = select(n, k3);
  median = k2 == k3 ? q3 : select(k3, k2);
  q1 = k1 == k2 ? median : select(k2, k1);
}

} // namespace

float lowerQuantile(const at::Tensor& values, double q) {
  const auto flat = values.reshape(-1).to(at::kFloat).contiguous();
  if (flat.numel() == 0) {
    throw std::invalid_argument("quantile of an empty tensor");
  }
  std::vector<float> v(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
  const auto k = quantileIndex(flat.numel(), q);
  std::nth_element(v.begin(), v.begin() + k, v.end(), fusionLess);
  return v[static_cast<std::size_t>(k)];
}

at::Tensor arceeFusion(const at::Tensor& base, const at::Tensor& input, Precision precision) {
  if (base.sizes() != input.sizes()) {
    throw std::invalid_argument("arcee_fusion: the input has shape " + c10::str(input.sizes()) +
                                ", the base " + c10::str(base.sizes()));
  }
  if (base.numel() == 0) {
    return base.clone();
  }
  const auto r = [precision](const at::Tensor& x) { return rounded(x, precision); };
  // A 0-D tensor is a row of one entry (mergekit would return shape [1]; the shape is kept here).
  const auto a = base.dim() == 0 ? base.reshape({1}) : base;
  const auto b = input.dim() == 0 ? input.reshape({1}) : input;
  // torch's add reads a Python number in the tensor's dtype: 1e-8 as bf16 holds it.
  const double eps = roundValue(1e-8f, precision);
  const auto p = r(r(at::softmax(b, -1)) + eps);
  const auto q = r(r(at::softmax(a, -1)) + eps);
  const auto kl = r((r(p * r(at::log(r(p / q))))).sum(-1, /*keepdim=*/true));
  const auto delta = r(b - a);
  const auto importance = r(delta.abs() * kl);

  float q1 = 0, median = 0, q3 = 0;
  fusionQuantiles(importance, q1, median, q3);
  // median + 1.5·(q3 − q1) in the compute dtype, like mergekit's 0-D tensors.
  const auto round = [precision](float x) { return roundValue(x, precision); };
  const float threshold = round(median + round(1.5f * round(q3 - q1)));
  const auto mask = importance.ge(threshold);
  return r(a + delta * mask).reshape(base.sizes());
}

} // namespace mg::ops
