#include "lm/rope.h"

#include <ATen/ATen.h>

#include <cmath>

namespace mg::lm::detail {

namespace {

// Llama 3's frequency-dependent rescaling: wavelengths longer than the original context divided by
// `factor`, shorter than original / high_freq_factor unchanged, a linear blend in between.
at::Tensor llama3Scaled(const at::Tensor& invFreq, const RopeScaling& s) {
  const double lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
  const double highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
  const auto wavelen = (2 * M_PI) / invFreq;
  auto scaled = at::where(wavelen > lowWavelen, invFreq / s.factor, invFreq);
  const auto smooth =
      (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
  const auto blended = (1 - smooth) * scaled / s.factor + smooth * scaled;
  const auto medium = (wavelen >= highWavelen).logical_and(wavelen <= lowWavelen);
  return at::where(medium, blended, scaled);
}

} // namespace

Rope::Rope(const LmConfig& config) {
  const auto dim = config.headDim;
  const auto exponents = at::arange(0, dim, 2, at::kLong).to(at::kFloat) / static_cast<double>(dim);
  invFreq_ = 1.0 / at::pow(at::scalar_tensor(config.ropeTheta, at::kFloat), exponents);
  switch (config.ropeScaling.kind) {
  case RopeScaling::Kind::None: break;
  case RopeScaling::Kind::Linear: invFreq_ = invFreq_ / config.ropeScaling.factor; break;
  case RopeScaling::Kind::Llama3: invFreq_ = llama3Scaled(invFreq_, config.ropeScaling); break;
  }
}

std::pair<at::Tensor, at::Tensor> Rope::angles(const at::Tensor& positions) const {
  const auto freqs = at::outer(positions.to(at::kFloat), invFreq_); // [T, dim/2]
  const auto both = at::cat({freqs, freqs}, -1);
  return {both.cos(), both.sin()};
}

at::Tensor Rope::apply(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
  // x·cos + rotate_half(x)·sin with rotate_half(x) = [-x2, x1], written as two accumulations into x·cos:
  // one activation-sized result and no rotated copy (the queries are among the widest tensors of a layer).
  const auto f = x.scalar_type() == at::kFloat ? x : x.to(at::kFloat);
  const auto half = f.size(-1) / 2;
  const auto x1 = f.narrow(-1, 0, half), x2 = f.narrow(-1, half, half);
  auto out = f * cos;
  out.narrow(-1, 0, half).addcmul_(x2, sin.narrow(-1, 0, half), -1);
  out.narrow(-1, half, half).addcmul_(x1, sin.narrow(-1, half, half));
  return x.scalar_type() == at::kFloat ? out : out.to(x.scalar_type());
}

} // namespace mg::lm::detail
