// Spec, "slerp" and "nuslerp"; mirrors mergekit/merge_methods/slerp.py and nuslerp.py.
#include "ops/slerp.h"

#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

#include "ops/precision.h"

namespace mg::ops {

namespace {

at::Tensor lerp(const at::Tensor& v0, const at::Tensor& v1, double t, Precision precision = Precision::F32) {
  return rounded(rounded(v0 * (1.0 - t), precision) + rounded(v1 * t, precision), precision);
}

} // namespace

at::Tensor slerp(const at::Tensor& v0, const at::Tensor& v1, double t) {
  if (v0.sizes() != v1.sizes()) {
    throw std::invalid_argument("slerp: shapes " + c10::str(v0.sizes()) + " and " + c10::str(v1.sizes()) +
                                " differ");
  }
  const auto a = v0.to(at::kFloat);
  const auto b = v1.to(at::kFloat);
  // Normalized copies give the angle; the result combines the ORIGINAL tensors (spec).
  const auto unit = [](const at::Tensor& v) {
    const double norm = v.norm().item<double>();
    return norm > 1e-8 ? v / norm : v;
  };
  const double dot = (unit(a) * unit(b)).sum().item<double>();
  if (std::abs(dot) > 0.9995) {
    return lerp(a, b, t); // (nearly) colinear: the slerp formula is ill-conditioned
  }
  const double theta = std::acos(dot);
  const double sinTheta = std::sin(theta);
  const double s0 = std::sin((1.0 - t) * theta) / sinTheta;
  const double s1 = std::sin(t * theta) / sinTheta;
  return a * s0 + b * s1;
}

at::Tensor nuslerp(const at::Tensor& v0, const at::Tensor& v1, double t, bool rowWise, bool flatten,
                   Precision precision) {
  if (v0.sizes() != v1.sizes()) {
    throw std::invalid_argument("nuslerp: shapes " + c10::str(v0.sizes()) + " and " + c10::str(v1.sizes()) +
                                " differ");
  }
  const auto shape = v0.sizes().vec();
  auto a = v0.to(at::kFloat);
  auto b = v1.to(at::kFloat);
  const bool transposed = !flatten && rowWise && a.dim() > 1;
  if (flatten || a.dim() == 0) {
    a = a.reshape(-1);
    b = b.reshape(-1);
  } else if (transposed) {
    a = a.transpose(0, -1);
    b = b.transpose(0, -1);
  }
  // In bf16 / f16 every operation's result is rounded to that dtype, as mergekit's torch code does (the
  // angle of two vectors is only good to an ulp of it then, and sin(t·θ) / sin θ carries that on).
  const auto r = [precision](const at::Tensor& x) { return rounded(x, precision); };
  const double normFloor = roundValue(1e-7f, precision);
  const auto unit = [&](const at::Tensor& v) { return r(v / r(v.norm(2, {-1}, true)).clamp_min(normFloor)); };
  const auto cosTheta = r(r(unit(a) * unit(b)).sum(-1, true));
  const auto theta = r(at::acos(cosTheta.clamp(-1, 1)));
  const auto sinTheta = r(at::sin(theta));
  const auto towards = [&](double s, const at::Tensor& v) { return r(r(at::sin(r(s * theta))) * v); };
  const auto slerped = r(r(towards(1.0 - t, a) + towards(t, b)) / sinTheta);
  auto result = at::where(sinTheta.abs() < 1e-8, lerp(a, b, t, precision), slerped);
  if (transposed) {
    result = result.transpose(0, -1);
  }
  return result.reshape(shape);
}

double nuslerpFactor(double w0, double w1) {
  const double sum = w0 + w1;
  return std::abs(sum) < 1e-6 ? 0.5 : w1 / sum; // mergekit: "fairly arbitrary, but saner than exploding"
}

} // namespace mg::ops
