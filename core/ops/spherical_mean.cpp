// Spec, "multislerp / karcher"; mirrors mergekit/merge_methods/multislerp.py and karcher.py.
#include "ops/spherical_mean.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "ops/precision.h"

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

// The weights as mergekit holds them in the compute dtype: each rounded to it, and divided by their
// (rounded) sum with each quotient rounded. F32: effectiveWeights.
std::vector<double> weightsIn(Precision precision, const char* method, std::size_t inputs,
                              const std::vector<double>& weights, bool normalize) {
  if (precision == Precision::F32) {
    return effectiveWeights(method, inputs, weights, normalize);
  }
  auto out = effectiveWeights(method, inputs, weights, false); // the count check
  float sum = 0.0f;
  for (auto& w : out) {
    w = roundValue(static_cast<float>(w), precision);
    sum += static_cast<float>(w);
  }
  if (!normalize) {
    return out;
  }
  sum = roundValue(sum, precision);
  if (sum == 0.0f) {
    throw std::invalid_argument(std::string(method) + ": the weights sum to zero, cannot normalize them");
  }
  for (auto& w : out) {
    w = roundValue(static_cast<float>(w) / sum, precision);
  }
  return out;
}

} // namespace

// In bf16 / f16 both means round every operation's result to that dtype, as mergekit's torch code does
// (torch >= 2.1: a Python number or float32 scalar as the second operand of * and / enters in float32,
// as the first operand it is rounded first; dot products and means are summed in float32, rounded once).

at::Tensor multislerp(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                      bool normalizeWeights, double eps, Precision precision) {
  const auto w = weightsIn(precision, "multislerp", inputs.size(), weights, normalizeWeights);
  if (inputs.size() == 1) {
    return inputs.front().to(at::kFloat);
  }
  const auto r = [precision](const at::Tensor& x) { return rounded(x, precision); };
  const double epsIn = roundValue(static_cast<float>(eps), precision); // torch's add rounds the number
  const auto shape = inputs.front().sizes().vec();
  const auto n = static_cast<std::int64_t>(inputs.size());
  std::vector<at::Tensor> flats;
  for (const auto& input : inputs) {
    flats.push_back(input.to(at::kFloat).reshape(-1));
  }
  const auto x = at::stack(flats); // [N, numel]
  flats.clear();
  const auto weightColumn = at::tensor(std::vector<float>(w.begin(), w.end()), at::kFloat).view({n, 1});
  const auto norms = r(x.norm(2, {1}, true));
  const auto units = r(x / r(norms + epsIn));
  auto mean = r(r(units * weightColumn).sum(0));
  const auto meanNorm = r(mean.norm());
  if (meanNorm.item<double>() < eps) {
    if (inputs.size() == 2) {
      return r(r(x[0] * w[0]) + r(x[1] * w[1])).reshape(shape);
    }
    throw std::invalid_argument("multislerp: the weighted sum of the unit inputs is zero (antipodal inputs "
                                "with balancing weights); change the weights");
  }
  mean = r(mean / meanNorm);
  const auto dots = r(r(units * mean).sum(-1, true));
  const auto tangents = r(units - r(dots * mean));
  const auto tangent = r(r(tangents * weightColumn).sum(0));
  const auto tangentNorm = r(r(tangent.norm()) + epsIn);
  const auto onSphere =
      r(r(mean * r(at::cos(tangentNorm))) + r(tangent * r(r(at::sin(tangentNorm)) / tangentNorm)));
  const auto scale = r(r(norms.squeeze(-1) * weightColumn.squeeze(-1)).sum()); // Σ w_i·‖x_i‖
  return r(onSphere * scale).reshape(shape);
}

at::Tensor karcherMean(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       bool normalizeWeights, int maxIter, double tol, Precision precision) {
  const auto alphas = effectiveWeights("karcher", inputs.size(), weights, normalizeWeights);
  if (inputs.size() == 1) {
    return inputs.front().to(at::kFloat);
  }
  const auto r = [precision](const at::Tensor& x) { return rounded(x, precision); };
  // Unit vectors of the inputs with norm > tol, and their weights renormalized among themselves. The
  // norms in float32 (mergekit takes them of float32 copies).
  std::vector<at::Tensor> units;
  std::vector<double> unitWeights;
  double scale = 0.0; // Σ w_i·‖x_i‖ over all inputs (spec)
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto x = inputs[i].to(at::kFloat).reshape(-1);
    const double n = static_cast<float>(l2Norm(x));
    scale += alphas[i] * n;
    if (n > tol) {
      units.push_back(r(x / n));
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
    mean = r(mean + r(units[i] * unitWeights[i]));
  }
  const double meanNorm = static_cast<float>(l2Norm(mean));
  mean = meanNorm < tol ? units.front().clone() : r(mean / meanNorm);

  for (int iteration = 0; iteration < maxIter; ++iteration) {
    // Riemannian gradient step: the weighted mean of the log maps of the inputs at the current mean.
    auto tangent = at::zeros_like(mean);
    for (std::size_t i = 0; i < units.size(); ++i) {
      const auto dot = r(at::dot(mean, units[i])).clamp(-1.0, 1.0);
      const auto theta = r(at::acos(dot));
      if (theta.item<double>() < tol) {
        continue;
      }
      const auto coefficient = r(r(theta / r(at::sin(theta))) * unitWeights[i]);
      tangent = r(tangent + r(coefficient * r(units[i] - r(dot * mean))));
    }
    const double tangentNorm = static_cast<float>(l2Norm(tangent));
    if (tangentNorm < tol) {
      break;
    }
    // cos‖T‖ multiplies as the first operand (rounded to the dtype), T / ‖T‖ divides by the float32 norm.
    const auto cosNorm =
        static_cast<double>(roundValue(std::cos(static_cast<float>(tangentNorm)), precision));
    const auto sinNorm =
        static_cast<double>(roundValue(std::sin(static_cast<float>(tangentNorm)), precision));
    mean = r(r(mean * cosNorm) + r(r(tangent / tangentNorm) * sinNorm));
    const double unitNorm = static_cast<float>(l2Norm(mean));
    if (unitNorm > tol) {
      mean = r(mean / unitNorm);
    }
  }
  return r(mean * scale).reshape(inputs.front().sizes());
}

} // namespace mg::ops
