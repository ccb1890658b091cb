// Spec, "ram" / "ramplus_tl"; mergekit/merge_methods/ram.py. Two passes over the inputs instead of one
// stack of all task vectors, so the peak memory is the count tensor and a few single-tensor temporaries;
// the values and their rounding are the same as mergekit's.
#include "ops/ram.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "ops/precision.h"

namespace mg::ops {

namespace {

void ramCheck(const std::vector<at::Tensor>& inputs, const at::Tensor& base, double epsilon,
              const std::optional<RamPlus>& plus) {
  const std::string method = plus ? "ramplus_tl" : "ram";
  if (inputs.empty()) {
    throw std::invalid_argument(method + " needs at least 1 input, got 0");
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].sizes() != base.sizes()) {
      throw std::invalid_argument(method + ": input " + std::to_string(i + 1) + " has shape " +
                                  c10::str(inputs[i].sizes()) + ", the base " + c10::str(base.sizes()));
    }
  }
  if (!std::isfinite(epsilon) || epsilon < 0.0) {
    throw std::invalid_argument(method + ": epsilon must be a non-negative number, got " +
                                std::to_string(epsilon));
  }
  if (!plus) {
    return;
  }
  // ε = 0 would divide 0 by 0 for an input with no active entry (mergekit: NaN for the whole tensor).
  if (epsilon == 0.0) {
    throw std::invalid_argument("ramplus_tl: epsilon must be > 0 (it bounds the divisor of the "
                                "shared-to-unique ratio)");
  }
  if (!std::isfinite(plus->r)) {
    throw std::invalid_argument("ramplus_tl: r must be a finite number");
  }
  if (!std::isfinite(plus->alpha) || plus->alpha < 0.0) {
    throw std::invalid_argument("ramplus_tl: alpha must be a non-negative number, got " +
                                std::to_string(plus->alpha));
  }
}

// λ_i in float32 arithmetic, as mergekit computes it on float32 count ratios.
float ramPlusLambda(std::int64_t shared, std::int64_t unique, double epsilon, const RamPlus& plus) {
  const float rho =
      static_cast<float>(shared) / std::max(static_cast<float>(unique), static_cast<float>(epsilon));
  return 1.0f + static_cast<float>(plus.r) * std::clamp(rho, 0.0f, static_cast<float>(plus.alpha));
}

} // namespace

at::Tensor ramMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base, double epsilon,
                    const std::optional<RamPlus>& plus, Precision precision) {
  ramCheck(inputs, base, epsilon, plus);
  const auto r = [precision](const at::Tensor& x) { return rounded(x, precision); };
  // The threshold as the compute dtype holds it: torch compares a bf16 tensor with a scalar in bf16.
  const double threshold = roundValue(static_cast<float>(epsilon), precision);
  // Pass 1: how many inputs change each entry.
  auto counts = at::zeros(base.sizes(), base.options().dtype(at::kInt));
  for (const auto& input : inputs) {
    counts.add_(r(input - base).abs_().gt(threshold));
  }
  const auto unique = counts.eq(1);
  const auto shared = counts.gt(1);
  const auto divisor = counts.clamp_min(1).to(base.scalar_type()); // inactive entries have τ·active = 0

  // Pass 2: each input's active entries, kept where unique (× λ_i for RAM+), divided by c_j where shared.
  at::Tensor merged;
  for (const auto& input : inputs) {
    const auto tau = r(input - base);
    const auto active = tau.abs().gt(threshold);
    const auto kept = tau * active;
    auto uniquePart = kept;
    if (plus) {
      const auto s = at::logical_and(active, shared).sum().item<std::int64_t>();
      const auto u = at::logical_and(active, unique).sum().item<std::int64_t>();
      uniquePart = kept * ramPlusLambda(s, u, epsilon, *plus);
    }
    auto term = at::where(unique, uniquePart, r(kept / divisor));
    merged = merged.defined() ? merged.add_(term) : std::move(term);
  }
  // RAM in bf16: one rounding of the sum over the inputs (torch accumulates a bf16 sum in float32).
  return r(base + (plus ? merged : r(merged)));
}

} // namespace mg::ops
