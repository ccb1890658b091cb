// Spec, "multislerp / karcher"; mirrors mergekit/merge_methods/multislerp.py and karcher.py.
#include "ops/spherical_mean.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mg::ops {

namespace {

// The weights as given, or divided by their sum.
std::vector<double> effectiveWeights(const char* method, std::size_t inputs,
                                     const std::vector<double>& weights, bool normalize) {
  if (inputs == 0 || weights.size() != inputs) {
    throw std::invalid_argument(std::string(method) + ": " + std::to_string(weights.size()) +
                                " weights for " + std::to_string(inputs) + " inputs");
  }
  if (!normalize) {
    return weights;
  }
  double sum = 0.0;
  for (const double w : weights) {
    sum += w;
  }
  if (std::abs(sum) < 1e-12) {
    throw std::invalid_argument(std::string(method) + ": the weights sum to zero, cannot normalize them");
  }
  std::vector<double> out;
  for (const double w : weights) {
    out.push_back(w / sum);
  }
  return out;
}

double l2Norm(const at::Tensor& v) {
  return v.norm().item<double>();
}

} // namespace

at::Tensor multislerp(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                      bool normalizeWeights, double eps) {
  const auto w = effectiveWeights("multislerp", inputs.size(), weights, normalizeWeights);
  if (inputs.size() == 1) {
    return inputs.front().to(at::kFloat);
  }
  const auto shape = inputs.front().sizes().vec();
  std::vector<at::Tensor> units;
  std::vector<double> norms;
  auto mean = at::zeros({inputs.front().numel()}, at::kFloat);
  double scale = 0.0; // Σ w_i·‖x_i‖
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto flat = inputs[i].to(at::kFloat).reshape(-1);
    norms.push_back(l2Norm(flat));
    units.push_back(flat / (norms.back() + eps));
    mean.add_(units.back(), w[i]);
    scale += w[i] * norms.back();
  }
  const double meanNorm = l2Norm(mean);
  if (meanNorm < eps) {
    if (inputs.size() == 2) {
      return (inputs[0].to(at::kFloat) * w[0] + inputs[1].to(at::kFloat) * w[1]).reshape(shape);
    }
    throw std::invalid_argument("multislerp: the weighted sum of the unit inputs is zero (antipodal inputs "
                                "with balancing weights); change the weights");
  }
  mean.div_(meanNorm);
  auto tangent = at::zeros_like(mean);
  for (std::size_t i = 0; i < units.size(); ++i) {
    const auto dot = (units[i] * mean).sum();
    tangent.add_(units[i] - dot * mean, w[i]);
  }
  const double tangentNorm = l2Norm(tangent) + eps;
  const auto result = mean * std::cos(tangentNorm) + tangent * (std::sin(tangentNorm) / tangentNorm);
  return (result * scale).reshape(shape);
}

at::Tensor karcherMean(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       bool normalizeWeights, int maxIter, double tol) {
  const auto alphas = effectiveWeights("karcher", inputs.size(), weights, normalizeWeights);
  if (inputs.size() == 1) {
    return inputs.front().to(at::kFloat);
  }
  // Unit vectors of the inputs with norm > tol, and their weights renormalized among themselves.
  std::vector<at::Tensor> units;
  std::vector<double> unitWeights;
  double scale = 0.0; // Σ w_i·‖x_i‖ over all inputs (spec)
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto x = inputs[i].to(at::kFloat);
    const double n = l2Norm(x);
    scale += alphas[i] * n;
    if (n > tol) {
      units.push_back(x / n);
      unitWeights.push_back(alphas[i]);
    }
  }
  if (units.empty()) {
    return at::zeros_like(inputs.front(), at::kFloat);
  }
  double weightSum = 0.0;
  for (const double a : unitWeights) {
    weightSum += a;
  }
  if (std::abs(weightSum) < 1e-12) {
    throw std::invalid_argument("karcher: the weights of the non-zero inputs sum to zero");
  }
  for (auto& a : unitWeights) {
    a /= weightSum;
  }

  // Start at the normalized Euclidean mean (the first unit vector if that vanishes).
  auto mean = at::zeros_like(units.front());
  for (std::size_t i = 0; i < units.size(); ++i) {
    mean.add_(units[i], unitWeights[i]);
  }
  const double meanNorm = l2Norm(mean);
  mean = meanNorm < tol ? units.front().clone() : mean / meanNorm;

  for (int iteration = 0; iteration < maxIter; ++iteration) {
    // Riemannian gradient step: the weighted mean of the log maps of the inputs at the current mean.
    auto tangent = at::zeros_like(mean);
    for (std::size_t i = 0; i < units.size(); ++i) {
      const double dot = std::clamp((mean * units[i]).sum().item<double>(), -1.0, 1.0);
      const double theta = std::acos(dot);
      if (theta < tol) {
        continue;
      }
      tangent.add_(units[i] - dot * mean, unitWeights[i] * theta / std::sin(theta));
    }
    const double tangentNorm = l2Norm(tangent);
    if (tangentNorm < tol) {
      break;
    }
    mean = mean * std::cos(tangentNorm) + tangent * (std::sin(tangentNorm) / tangentNorm);
    const double unitNorm = l2Norm(mean);
    if (unitNorm > tol) {
      mean.div_(unitNorm);
    }
  }
  return mean * scale;
}

} // namespace mg::ops
