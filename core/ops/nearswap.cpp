// Spec, "nearswap"; mergekit/merge_methods/nearswap.py.
#include "ops/nearswap.h"

#include <ATen/ATen.h>

#include <cmath>

#include "ops/precision.h"
#include <stdexcept>
#include <string>

namespace mg::ops {

at::Tensor nearswap(const at::Tensor& base, const at::Tensor& input, double t, Precision precision) {
  if (!std::isfinite(t) || t < 0.0) {
    throw std::invalid_argument("nearswap: t must be a non-negative number, got " + std::to_string(t));
  }
  if (base.sizes() != input.sizes()) {
    throw std::invalid_argument("nearswap: the input has shape " + c10::str(input.sizes()) + ", the base " +
                                c10::str(base.sizes()));
  }
  // The distance is floored at 1e-6 so that equal entries give w = t / 1e-6 (clamped) rather than 0 / 0.
  // reciprocal · t is how PyTorch evaluates mergekit's `t / absdiff`: the same rounding.
  const auto r = [precision](const at::Tensor& x) { return rounded(x, precision); };
  const auto distance = r(r(base - input).abs().clamp_min(1e-6));
  // t stays float32 in the product, as torch ≥ 2.1's mul reads a Python number in bf16 / f16 arithmetic.
  const auto weight = r(r(distance.reciprocal()) * t).clamp(0.0, 1.0);
  // w·θ1 + (1 − w)·θ0 rather than θ0 + w·(θ1 − θ0): the same rounding as mergekit.
  return r(r(weight * input) + r(r(1.0 - weight) * base));
}

} // namespace mg::ops
