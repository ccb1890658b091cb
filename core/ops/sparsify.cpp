// Spec, task arithmetic steps 2 (sparsify) and 3 (rescale); mirrors mergekit/sparsify.py.
#include "ops/sparsify.h"

#include <ATen/CPUGeneratorImpl.h>

#include <sstream>
#include <stdexcept>

namespace mg::ops {

namespace {

std::string num(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Indices of |δ| (flattened) in ascending or descending order. Stable, so equal magnitudes keep index order
// and the kept set never depends on the sort implementation or thread count.
at::Tensor magnitudeOrder(const at::Tensor& delta, bool descending) {
  return std::get<1>(torch::sort(delta.abs().reshape(-1), /*stable=*/true, /*dim=*/0, descending));
}

// A boolean mask of delta's shape, true at order[begin, end).
at::Tensor maskFromOrder(const at::Tensor& delta, const at::Tensor& order, std::int64_t begin,
                         std::int64_t end) {
  auto mask = torch::zeros({delta.numel()}, delta.options().dtype(torch::kBool));
  mask.index_fill_(0, order.slice(0, begin, end), true);
  return mask.view(delta.sizes());
}

at::Tensor magnitudeMask(const at::Tensor& delta, double density) {
  const auto n = delta.numel();
  const auto k = static_cast<std::int64_t>(density * static_cast<double>(n)); // Python's int(): truncation
  if (k == 0) {
    throw std::invalid_argument("magnitude sparsification would keep no entry: int(density " + num(density) +
                                " x " + std::to_string(n) + " entries) = 0; raise the density");
  }
  if (k >= n) return torch::ones_like(delta);
  // Selection, not a sort: the k-th largest |δ| by quickselect (O(n), no index tensor), then every entry
  // above it plus, among entries equal to it, the lowest indices — exactly the set a stable descending
  // sort would keep, at a fraction of the time and memory on large tensors.
  const auto magnitude = delta.abs().reshape(-1);
  const auto threshold = std::get<0>(torch::kthvalue(magnitude, n - k + 1)).item<float>();
  auto mask = magnitude > threshold;
  const auto tiesNeeded = k - mask.sum().item<std::int64_t>();
  if (tiesNeeded > 0) {
    const auto equal = (magnitude == threshold).nonzero().reshape(-1);
    mask.index_fill_(0, equal.slice(0, 0, tiesNeeded), true);
  }
  return mask.view(delta.sizes());
}

at::Tensor outlierMask(const at::Tensor& delta, double density, double gamma) {
  const auto n = delta.numel();
  const auto target = static_cast<std::int64_t>(density * static_cast<double>(n));
  auto nTop = static_cast<std::int64_t>(gamma * static_cast<double>(n));
  auto nBot = n - target - nTop;
  if (nBot < 0) { // spec: too few left to drop at the bottom, so drop fewer outliers at the top
    nTop += nBot;
    nBot = 0;
  }
  if (target == 0) {
    throw std::invalid_argument("magnitude_outliers sparsification would keep no entry: int(density " +
                                num(density) + " x " + std::to_string(n) +
                                " entries) = 0; raise the density");
  }
  // Keeps [n_bot, n − n_top) of the ascending order. (mergekit slices [n_bot:-n_top], which is empty when
  // n_top = 0; the intended range is used here.)
  return maskFromOrder(delta, magnitudeOrder(delta, /*descending=*/false), nBot, n - nTop);
}

// DELLA keep probabilities: p = (d−ε) + 2ε·(r−1)/(n−1) for the rank r of |δ| within its row. Rows are along
// dim 1 as in mergekit (a vector is one row). A row of one entry gets p = d (the formula is 0/0 there).
at::Tensor dellaProbabilities(const at::Tensor& delta, double density, double epsilon) {
  if (!(density - epsilon > 0.0) || !(density + epsilon < 1.0)) {
    throw std::invalid_argument("della_magprune needs 0 < density - epsilon and density + epsilon < 1, got "
                                "density " +
                                num(density) + ", epsilon " + num(epsilon));
  }
  const auto rows = delta.dim() < 2 ? delta.reshape({1, -1}) : delta;
  const auto n = rows.size(1);
  const auto order = std::get<1>(torch::sort(rows.abs(), /*stable=*/true, /*dim=*/1, /*descending=*/false));
  const auto ranks =
      torch::argsort(order, /*dim=*/1, /*descending=*/false).to(torch::kFloat32); // 0-based: r − 1
  const auto rankNorm = n > 1 ? ranks / static_cast<double>(n - 1) : torch::full_like(ranks, 0.5);
  return ((density - epsilon) + rankNorm * (2.0 * epsilon)).reshape(delta.sizes());
}

at::Tensor bernoulliMask(const at::Tensor& probabilities, std::uint64_t seed) {
  // A generator of our own: reproducible whatever else draws random numbers, and no lock contention.
  const auto generator = at::detail::createCPUGenerator(seed);
  return at::bernoulli(probabilities, generator);
}

// Zeroes what `mask` drops (bool or 0/1 float) and applies step 3, in place. keepProbability broadcasts
// against delta (a 0-d tensor, or per entry for DELLA).
void keepInPlace(at::Tensor& delta, const at::Tensor& mask, const at::Tensor& keepProbability,
                 Rescale rescale) {
  // mergekit's L1 rescale matches the L1 norm of the unpruned δ; measured before pruning in place.
  const float before = rescale == Rescale::L1 ? delta.abs().sum().item<float>() : 0.0f;
  delta.mul_(mask);
  switch (rescale) {
  case Rescale::None: return;
  case Rescale::InverseDensity: delta.div_(keepProbability); return;
  case Rescale::L1: {
    const float after = delta.abs().sum().item<float>();
    if (before < 1e-7f || after < 1e-7f) return; // mergekit skips tiny norms
    delta.mul_(before / after);
    return;
  }
  }
  throw std::logic_error("unhandled rescale mode");
}

std::uint64_t splitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

} // namespace

void sparsifyInPlace(at::Tensor& delta, const SparsifyOptions& options) {
  const double d = options.density;
  if (options.method == Sparsifier::None || d >= 1.0) {
    return; // spec step 2: d >= 1 leaves δ unchanged (and so nothing to rescale)
  }
  if (!(d > 0.0)) {
    throw std::invalid_argument("density must be in (0, 1], got " + num(d));
  }
  if (delta.scalar_type() != torch::kFloat32 || !delta.is_contiguous()) {
    throw std::logic_error("sparsifyInPlace needs a contiguous float32 tensor");
  }
  const auto scalarProbability = torch::scalar_tensor(d, delta.options());
  switch (options.method) {
  case Sparsifier::Magnitude:
    keepInPlace(delta, magnitudeMask(delta, d), scalarProbability, options.rescale);
    return;
  case Sparsifier::MagnitudeOutliers:
    keepInPlace(delta, outlierMask(delta, d, options.gamma), scalarProbability, options.rescale);
    return;
  case Sparsifier::Random:
    keepInPlace(delta, bernoulliMask(torch::full_like(delta, d), options.seed), scalarProbability,
                options.rescale);
    return;
  case Sparsifier::DellaMagprune: {
    const auto probabilities = dellaProbabilities(delta, d, options.epsilon);
    keepInPlace(delta, bernoulliMask(probabilities, options.seed), probabilities, options.rescale);
    return;
  }
  case Sparsifier::None: return;
  }
}

at::Tensor sparsify(const at::Tensor& delta, const SparsifyOptions& options) {
  if (options.method == Sparsifier::None || options.density >= 1.0) return delta;
  auto out = delta.to(torch::kFloat32).contiguous().clone();
  sparsifyInPlace(out, options);
  return out;
}

std::uint64_t deriveSeed(std::uint64_t seed, const std::string& tensorName, std::size_t input) {
  std::uint64_t hash = 0xCBF29CE484222325ull; // FNV-1a of the name
  for (const unsigned char c : tensorName) {
    hash = (hash ^ c) * 0x100000001B3ull;
  }
  return splitMix64(splitMix64(seed ^ hash) + input);
}

std::string toString(Sparsifier sparsifier) {
  switch (sparsifier) {
  case Sparsifier::None: return "none";
  case Sparsifier::Magnitude: return "magnitude";
  case Sparsifier::Random: return "random";
  case Sparsifier::MagnitudeOutliers: return "magnitude_outliers";
  case Sparsifier::DellaMagprune: return "della_magprune";
  }
  return "unknown";
}

} // namespace mg::ops
