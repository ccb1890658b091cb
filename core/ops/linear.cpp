// Spec, "linear" and "passthrough"; mirrors mergekit/merge_methods/linear.py and passthrough.py.
#include "ops/linear.h"

#include <ATen/ATen.h>

#include "ops/precision.h"

#include <cmath>
#include <stdexcept>

namespace mg::ops {

at::Tensor linearMerge(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       bool normalize, Precision precision) {
  if (inputs.empty() || weights.size() != inputs.size()) {
    throw std::invalid_argument("linear: " + std::to_string(weights.size()) + " weights for " +
                                std::to_string(inputs.size()) + " inputs");
  }
  // In bf16 / f16, as mergekit: the weights held in that dtype, each product and the sums rounded to it.
  const bool exact = precision == Precision::F32;
  auto sum = at::zeros_like(inputs.front(), at::kFloat);
  double weightSum = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const double w = exact ? weights[i] : roundValue(static_cast<float>(weights[i]), precision);
    if (exact) {
      sum.add_(inputs[i].to(at::kFloat), w);
    } else {
      sum.add_(rounded(inputs[i].to(at::kFloat) * w, precision));
    }
    weightSum += w;
  }
  roundInPlace(sum, precision);
  if (!normalize) {
    return sum;
  }
  // mergekit would divide by zero here and write inf/NaN; an error names the cause instead.
  if (std::abs(weightSum) < 1e-8) {
    throw std::invalid_argument("linear: the weights sum to zero, cannot normalize (set normalize=false)");
  }
  if (!exact) weightSum = roundValue(static_cast<float>(weightSum), precision);
  sum.div_(weightSum);
  roundInPlace(sum, precision);
  return sum;
}

at::Tensor passthrough(const at::Tensor& input, double scale) {
  const auto out = input.to(at::kFloat);
  return scale == 1.0 ? out : out * scale;
}

} // namespace mg::ops
