// Spec, task arithmetic steps 2 (sparsify) and 3 (rescale); mirrors mergekit/sparsify.py.
#include "ops/sparsify.h"

#include "ops/della_probabilities.h"
#include "ops/magnitude_selection.h"
#include "ops/precision.h"
#include "ops/row_magnitude_ranks.h"

#include <ATen/ATen.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

#include <sstream>
#include <stdexcept>

namespace mg::ops {

namespace {

constexpr std::int64_t kGrain = 1 << 16; // entries per parallel chunk

std::uint64_t splitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::string num(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Indices of |δ| (flattened) in ascending or descending order. Stable, so equal magnitudes keep index order
// and the kept set never depends on the sort implementation or thread count.
at::Tensor magnitudeOrder(const at::Tensor& delta, bool descending) {
  return std::get<1>(at::sort(delta.abs().reshape(-1), /*stable=*/true, /*dim=*/0, descending));
}

// A boolean mask of delta's shape, true at order[begin, end).
at::Tensor maskFromOrder(const at::Tensor& delta, const at::Tensor& order, std::int64_t begin,
                         std::int64_t end) {
  auto mask = at::zeros({delta.numel()}, delta.options().dtype(at::kBool));
  mask.index_fill_(0, order.slice(0, begin, end), true);
  return mask.view(delta.sizes());
}

// Keeps the k = int(d·n) largest |δ| in place: every entry above the k-th largest magnitude plus, among
// entries equal to it, the lowest indices — exactly the set a stable descending sort would keep.
void keepLargestInPlace(at::Tensor& delta, double density) {
  const auto n = delta.numel();
  const auto k = static_cast<std::int64_t>(density * static_cast<double>(n)); // Python's int(): truncation
  if (k == 0) {
    throw std::invalid_argument("magnitude sparsification would keep no entry: int(density " + num(density) +
                                " x " + std::to_string(n) + " entries) = 0; raise the density");
  }
  if (k >= n) return;
  keepLargestMagnitudes(delta.data_ptr<float>(), n, k);
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
  // Keeps [n_bot, n − n_top) of the ascending order, as mergekit's slice [n_bot:-n_top] — which is EMPTY
  // when n_top = 0 (Python's -0 is 0): then nothing is kept, as in mergekit (gamma·n < 1, e.g. a tensor of
  // fewer than 100 entries at the default gamma 0.01). int(density·n) = 0 keeps nothing either way.
  if (nTop == 0) {
    return at::zeros_like(delta, delta.options().dtype(at::kBool));
  }
  return maskFromOrder(delta, magnitudeOrder(delta, /*descending=*/false), nBot, n - nTop);
}

// Uniform in [0, 1) for entry `index`: a counter-based generator (SplitMix64 of seed + index), so masks
// are the same however the loop is split across threads, and drawing 16M of them is a fast parallel loop
// (at::bernoulli with a private generator was ~40× slower).
float uniformAt(std::uint64_t seed, std::uint64_t index) {
  return static_cast<float>(splitMix64(seed + index) >> 40) * (1.0f / 16777216.0f);
}

// Random pruning works in runs of kRun entries at multiples of kRun; the L1 norms of step 3 are summed per
// run, the runs added in order into fixed blocks of kBlock entries and the blocks in order — the same sums
// whatever the thread count and however the runs were shared out.
constexpr std::int64_t kRun = 1024;
constexpr std::int64_t kBlock = 1 << 16;

// The L1 norm of x[0, n) in double, in four interleaved sums (a fixed order, so the same bits whatever the
// thread count): one running sum waited on the previous addition for every entry.
double l1Norm(const float* x, std::int64_t n) {
  double lane[4] = {0.0, 0.0, 0.0, 0.0};
  std::int64_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (int l = 0; l < 4; ++l)
      lane[l] += std::fabs(x[i + l]);
  for (; i < n; ++i)
    lane[0] += std::fabs(x[i]);
  return (lane[0] + lane[1]) + (lane[2] + lane[3]);
}

// DARE / DELLA on entries [first, first + length), length <= 1024: keeps entry first + t with probability
// p[t] (`probabilities`, of the run's entries, or `probability` for every entry when it is null) and applies
// the inverse-density rescale. Two loops over a
// run short enough to stay in L1: the coin flips, then keep-or-zero as an integer mask — a select on floats
// became a branch that mispredicted on every other entry.
void keepRandomRun(float* x, std::int64_t first, std::int64_t length, float probability,
                   const float* probabilities, std::uint64_t seed, bool inverseDensity) {
  alignas(64) float uniform[kRun];
  for (std::int64_t t = 0; t < length; ++t)
    uniform[t] = uniformAt(seed, static_cast<std::uint64_t>(first + t));
  float* run = x + first;
  const float* p = probabilities;
  for (std::int64_t t = 0; t < length; ++t) {
    const float pt = p ? p[t] : probability;
    const float kept = inverseDensity ? run[t] / pt : run[t];
    std::uint32_t bits;
    std::memcpy(&bits, &kept, sizeof bits);
    bits &= 0u - static_cast<std::uint32_t>(uniform[t] < pt);
    std::memcpy(&run[t], &bits, sizeof bits);
  }
}

struct RunNorms {
  explicit RunNorms(std::int64_t entries)
      : before(static_cast<std::size_t>((entries + kRun - 1) / kRun)), after(before.size()) {}
  std::vector<double> before, after; // per run: the L1 norm before and after pruning
};

// Prunes the run at `first` (probabilities of the run's entries, or null for `probability`), recording its
// L1 norms when `norms` is set.
void pruneRun(float* x, std::int64_t first, std::int64_t length, float probability,
              const float* probabilities, std::uint64_t seed, Rescale rescale, RunNorms* norms) {
  const auto run = static_cast<std::size_t>(first / kRun);
  if (norms) norms->before[run] = l1Norm(x + first, length);
  keepRandomRun(x, first, length, probability, probabilities, seed, rescale == Rescale::InverseDensity);
  if (norms) norms->after[run] = l1Norm(x + first, length);
}

// Step 3's L1 rescale from the runs' norms, summed in the fixed order above.
void rescaleToNorms(at::Tensor& delta, const RunNorms& norms) {
  constexpr std::size_t kRunsPerBlock = kBlock / kRun;
  double totalBefore = 0.0, totalAfter = 0.0;
  for (std::size_t block = 0; block < norms.before.size(); block += kRunsPerBlock) {
    double sumBefore = 0.0, sumAfter = 0.0;
    for (auto run = block; run < std::min(norms.before.size(), block + kRunsPerBlock); ++run) {
      sumBefore += norms.before[run];
      sumAfter += norms.after[run];
    }
    totalBefore += sumBefore;
    totalAfter += sumAfter;
  }
  if (totalBefore < 1e-7 || totalAfter < 1e-7) return; // mergekit skips tiny norms
  delta.mul_(totalBefore / totalAfter);
}

// DARE / DELLA in place, then step 3 — no mask tensor. Entry i's coin is a hash of (seed, i), so the result
// does not depend on the thread count.
void keepRandomInPlace(at::Tensor& delta, float probability, const float* probabilities, std::uint64_t seed,
                       Rescale rescale) {
  float* x = delta.data_ptr<float>();
  const auto n = delta.numel();
  RunNorms norms(rescale == Rescale::L1 ? n : 0);
  RunNorms* l1 = rescale == Rescale::L1 ? &norms : nullptr;
  at::parallel_for(0, (n + kRun - 1) / kRun, kBlock / kRun, [&](std::int64_t firstRun, std::int64_t endRun) {
    for (auto run = firstRun; run < endRun; ++run) {
      const auto first = run * kRun;
      pruneRun(x, first, std::min(kRun, n - first), probability,
               probabilities ? probabilities + first : nullptr, seed, rescale, l1);
    }
  });
  if (l1) rescaleToNorms(delta, norms);
}

// Rows per chunk of DELLA's row-by-row pruning: about kBlock entries, and a multiple of kRun entries so that
// every run lies inside one chunk (the last chunk excepted). 0 when that would take more than 16M entries
// (a row length with few factors of 2 and many rows): then the whole tensor's probabilities are made first.
std::int64_t dellaRowsPerChunk(std::int64_t length, std::int64_t rows) {
  const std::int64_t unit = kRun / std::gcd(length, kRun); // rows whose entries are a multiple of kRun
  const std::int64_t units = std::max<std::int64_t>(1, kBlock / (unit * length));
  const std::int64_t perChunk = std::min(rows, unit * units);
  return perChunk == rows || perChunk * length <= (std::int64_t{1} << 24) ? perChunk : 0;
}

// DELLA on a delta whose rows are contiguous (1-D or 2-D): the keep probabilities of a few rows at a time,
// each used as soon as it is made, instead of a tensor of them (a 64 MiB block mapped, and written and read
// once more, per task vector). The same probabilities, coins, arithmetic and norm sums per entry as
// keepRandomInPlace over dellaKeepProbabilities, so the same bits. False (nothing done) when the rows do not
// suit (dellaRowsPerChunk).
bool keepDellaByRows(at::Tensor& delta, double density, double epsilon, std::uint64_t seed, Rescale rescale) {
  if (delta.dim() > 2 || delta.numel() == 0) return false;
  const std::int64_t length = delta.dim() < 2 ? delta.numel() : delta.size(1);
  const std::int64_t rows = delta.numel() / length;
  const std::int64_t rowsPerChunk = dellaRowsPerChunk(length, rows);
  if (rowsPerChunk == 0) return false;
  const auto probabilityOfRank = dellaProbabilityOfRank(length, density, epsilon);
  float* x = delta.data_ptr<float>();
  RunNorms norms(rescale == Rescale::L1 ? delta.numel() : 0);
  RunNorms* l1 = rescale == Rescale::L1 ? &norms : nullptr;
  const auto chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
  at::parallel_for(0, chunks, 1, [&](std::int64_t firstChunk, std::int64_t endChunk) {
    std::unique_ptr<float[]> probabilities(new float[static_cast<std::size_t>(rowsPerChunk * length)]);
    for (auto chunk = firstChunk; chunk < endChunk; ++chunk) {
      const auto firstRow = chunk * rowsPerChunk;
      const auto chunkRows = std::min(rowsPerChunk, rows - firstRow);
      const auto first = firstRow * length, count = chunkRows * length;
      mapMagnitudeRanks(x + first, probabilities.get(), RowLayout{chunkRows, length, 1},
                        probabilityOfRank.data());
      for (std::int64_t done = 0; done < count; done += kRun)
        pruneRun(x, first + done, std::min(kRun, count - done), 0.0f, probabilities.get() + done, seed,
                 rescale, l1);
    }
  });
  if (l1) rescaleToNorms(delta, norms);
  return true;
}

// Runs `prune` (which zeroes the dropped entries of delta in place) and applies step 3. keepProbability
// broadcasts against delta (a 0-d tensor, or per entry for DELLA).
template <typename Prune>
void keepInPlace(at::Tensor& delta, Prune prune, const at::Tensor& keepProbability, Rescale rescale,
                 Precision precision) {
  // mergekit's L1 rescale matches the L1 norm of the unpruned δ; measured before pruning in place. In bf16
  // / f16 each norm and their quotient are tensors of that dtype there, so each is rounded to it.
  const auto roundedNorm = [&] { return roundValue(delta.abs().sum().item<float>(), precision); };
  const float before = rescale == Rescale::L1 ? roundedNorm() : 0.0f;
  prune();
  switch (rescale) {
  case Rescale::None: return;
  case Rescale::InverseDensity: delta.div_(keepProbability); return;
  case Rescale::L1: {
    const float after = roundedNorm();
    if (before < 1e-7f || after < 1e-7f) return; // mergekit skips tiny norms
    delta.mul_(roundValue(before / after, precision));
    return;
  }
  }
  throw std::logic_error("unhandled rescale mode");
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
  if (delta.scalar_type() != at::kFloat || !delta.is_contiguous()) {
    throw std::logic_error("sparsifyInPlace needs a contiguous float32 tensor");
  }
  const auto scalarProbability = at::scalar_tensor(d, delta.options());
  switch (options.method) {
  case Sparsifier::Magnitude:
    keepInPlace(
        delta, [&] { keepLargestInPlace(delta, d); }, scalarProbability, options.rescale, options.precision);
    return;
  case Sparsifier::MagnitudeOutliers:
    keepInPlace(
        delta, [&] { delta.mul_(outlierMask(delta, d, options.gamma)); }, scalarProbability, options.rescale,
        options.precision);
    return;
  case Sparsifier::Random:
    keepRandomInPlace(delta, static_cast<float>(d), nullptr, options.seed, options.rescale);
    return;
  case Sparsifier::DellaMagprune: {
    if (keepDellaByRows(delta, d, options.epsilon, options.seed, options.rescale)) return;
    const auto probabilities = dellaKeepProbabilities(delta, d, options.epsilon).contiguous();
    keepRandomInPlace(delta, 0.0f, probabilities.data_ptr<float>(), options.seed, options.rescale);
    return;
  }
  case Sparsifier::None: return;
  }
}

at::Tensor sparsify(const at::Tensor& delta, const SparsifyOptions& options) {
  if (options.method == Sparsifier::None || options.density >= 1.0) return delta;
  auto out = delta.to(at::kFloat).contiguous().clone();
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

} // namespace mg::ops
