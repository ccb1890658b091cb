// Spec, "linear" and "passthrough"; mirrors mergekit/merge_methods/linear.py and passthrough.py.
#include "ops/linear.h"

#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

namespace mg::ops {

at::Tensor linearMerge(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       bool normalize) {
  if (inputs.empty() || weights.size() != inputs.size()) {
    throw std::invalid_argument("linear: " + std::to_string(weights.size()) + " weights for " +
                                std::to_string(inputs.size()) + " inputs");
  }
  auto sum = at::zeros_like(inputs.front(), at::kFloat);
  double weightSum = 0.0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    sum.add_(inputs[i].to(at::kFloat), weights[i]);
    weightSum += weights[i];
  }
  if (!normalize) {
    return sum;
  }
  // mergekit would divide by zero here and write inf/NaN; an error names the cause instead.
  if (std::abs(weightSum) < 1e-8) {
    throw std::invalid_argument("linear: the weights sum to zero, cannot normalize (set normalize=false)");
  }
  return sum.div_(weightSum);
}

at::Tensor passthrough(const at::Tensor& input, double scale) {
  const auto out = input.to(at::kFloat);
  return scale == 1.0 ? out : out * scale;
}

} // namespace mg::ops
