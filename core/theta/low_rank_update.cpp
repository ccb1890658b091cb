#include "theta/low_rank_update.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <thread>

#include <zlib.h>

namespace mg::theta {

namespace {

constexpr std::size_t kMaxRank = 64;        // beyond it an update is hardly "low rank", and the search slows
constexpr std::size_t kOversampling = 8;    // extra directions for the range finder
constexpr std::size_t kLookSide = 256;      // the quick look's sub-matrix: at most this many rows and columns
constexpr std::size_t kRankSamples = 32768; // elements that choose the rank on the whole tensor

// fn(begin, end) over [0, n) in contiguous parts, one per core (at most 8). Every caller writes disjoint
// outputs per index, so the result does not depend on the number of parts.
template <typename Fn> void inParallel(std::size_t n, const Fn& fn) {
  const std::size_t parts = std::min<std::size_t>({std::max(1u, std::thread::hardware_concurrency()), 8, n});
  std::vector<std::thread> threads;
  for (std::size_t p = 1; p < parts; ++p)
    threads.emplace_back([&, p] { fn(n * p / parts, n * (p + 1) / parts); });
  fn(0, n / std::max<std::size_t>(parts, 1));
  for (std::thread& thread : threads)
    thread.join();
}

// One row of a tensor as doubles, and back. F16 and BF16 go through float32, whose rounding then decides
// (deterministic, which is all the reconstruction needs).
void toDoubles(io::DType dtype, const std::byte* src, std::size_t n, double* dst,
               std::vector<float>& scratch) {
  scratch.resize(n);
  io::convertToFloat32(dtype, src, n, scratch.data());
  std::copy(scratch.begin(), scratch.end(), dst);
}

void fromDoubles(io::DType dtype, const double* src, std::size_t n, std::byte* dst,
                 std::vector<float>& scratch) {
  scratch.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    scratch[i] = float(src[i]);
  io::convertFromFloat32(dtype, scratch.data(), n, dst);
}

constexpr int kEscape = 128; // a residual beyond int8: the element is stored exactly

// The residual that turns a rebuilt element into the target one, in steps of the last bit: the difference of
// their bit patterns as integers (0 also when the two are within `tolerance`), or kEscape.
int residualOf(io::DType dtype, const std::byte* rebuilt, const std::byte* target, std::size_t element,
               double tolerance, std::vector<float>& scratch) {
  std::int64_t from = 0, to = 0;
  if (element == 4) {
    std::uint32_t a, b;
    std::memcpy(&a, rebuilt, 4);
    std::memcpy(&b, target, 4);
    from = a, to = b;
  } else {
    std::uint16_t a, b;
    std::memcpy(&a, rebuilt, 2);
    std::memcpy(&b, target, 2);
    from = a, to = b;
  }
  if (from == to) return 0;
  if (tolerance > 0) {
    double a, b;
    toDoubles(dtype, rebuilt, 1, &a, scratch);
    toDoubles(dtype, target, 1, &b, scratch);
    if (std::isfinite(a) && std::isfinite(b) && std::abs(a - b) <= tolerance) return 0;
  }
  const std::int64_t steps = to - from;
  return steps >= -127 && steps <= 127 ? int(steps) : kEscape;
}

// The elements of a matrix, as the search sees them.
struct MatrixView {
  io::DType dtype;
  const std::byte* base;
  const std::byte* target;
  std::size_t rows, cols, element;
  const std::byte* baseAt(std::size_t i) const { return base + i * element; }
  const std::byte* targetAt(std::size_t i) const { return target + i * element; }
};

// target − base, in float32 (enough to find the factors; exactness comes from the corrections).
std::vector<float> differences(const MatrixView& m) {
  std::vector<float> d(m.rows * m.cols), scratch;
  std::vector<double> before(m.cols), after(m.cols);
  for (std::size_t i = 0; i < m.rows; ++i) {
    toDoubles(m.dtype, m.baseAt(i * m.cols), m.cols, before.data(), scratch);
    toDoubles(m.dtype, m.targetAt(i * m.cols), m.cols, after.data(), scratch);
    for (std::size_t j = 0; j < m.cols; ++j)
      d[i * m.cols + j] = float(after[j] - before[j]);
  }
  return d;
}

// Eigen-decomposition of a small symmetric matrix (cyclic Jacobi): eigenvectors as the columns of `vectors`,
// in order of decreasing eigenvalue.
void symmetricEigen(std::vector<double> a, std::size_t n, std::vector<double>& values,
                    std::vector<double>& vectors) {
  std::vector<double> v(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    v[i * n + i] = 1.0;
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0, diagonal = 0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = 0; q < n; ++q)
        (p == q ? diagonal : off) += a[p * n + q] * a[p * n + q];
    if (off <= 1e-30 * diagonal || off == 0) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (apq == 0) continue;
        const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) { // columns p and q
          const double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) { // rows p and q
          const double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return a[x * n + x] > a[y * n + y]; });
  values.resize(n);
  vectors.assign(n * n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    values[k] = a[order[k] * n + order[k]];
    for (std::size_t i = 0; i < n; ++i)
      vectors[i * n + k] = v[i * n + order[k]];
  }
}

// d · x for d (rows × cols, float) and x (cols × l): rows × l. All matrices here are row-major.
std::vector<double> timesRight(const std::vector<float>& d, std::size_t rows, std::size_t cols,
                               const std::vector<double>& x, std::size_t l) {
  std::vector<double> y(rows * l, 0.0);
  inParallel(rows, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const float* row = d.data() + i * cols;
      double* yi = y.data() + i * l;
      for (std::size_t j = 0; j < cols; ++j) {
        const double dij = row[j];
        if (dij == 0) continue;
        const double* xj = x.data() + j * l;
        for (std::size_t a = 0; a < l; ++a)
          yi[a] += dij * xj[a];
      }
    }
  });
  return y;
}

// dᵀ · y for d (rows × cols) and y (rows × l): cols × l.
std::vector<double> transposedTimes(const std::vector<float>& d, std::size_t rows, std::size_t cols,
                                    const std::vector<double>& y, std::size_t l) {
  std::vector<double> z(cols * l, 0.0);
  inParallel(cols, [&](std::size_t begin, std::size_t end) { // by columns: each z row sums over i in order
    for (std::size_t i = 0; i < rows; ++i) {
      const float* row = d.data() + i * cols;
      const double* yi = y.data() + i * l;
      for (std::size_t j = begin; j < end; ++j) {
        const double dij = row[j];
        if (dij == 0) continue;
        double* zj = z.data() + j * l;
        for (std::size_t a = 0; a < l; ++a)
          zj[a] += dij * yi[a];
      }
    }
  });
  return z;
}

// Makes the l columns of m (n × l) orthonormal (Gram-Schmidt twice: orthogonal to working precision); a
// column with nothing left of its own (the matrix has lower rank) becomes zero.
void orthonormalizeColumns(std::vector<double>& m, std::size_t n, std::size_t l) {
  double largest = 0;
  for (std::size_t a = 0; a < l; ++a) {
    for (int pass = 0; pass < 2; ++pass)
      for (std::size_t b = 0; b < a; ++b) {
        double dot = 0;
        for (std::size_t i = 0; i < n; ++i)
          dot += m[i * l + a] * m[i * l + b];
        for (std::size_t i = 0; i < n; ++i)
          m[i * l + a] -= dot * m[i * l + b];
      }
    double norm = 0;
    for (std::size_t i = 0; i < n; ++i)
      norm += m[i * l + a] * m[i * l + a];
    norm = std::sqrt(norm);
    largest = std::max(largest, norm);
    const double scale = norm > 1e-12 * largest && norm > 0 ? 1 / norm : 0.0;
    for (std::size_t i = 0; i < n; ++i)
      m[i * l + a] *= scale;
  }
}

// Factors of rank `l` of the rows × cols matrix d, d ≈ left · right, their directions in order of decreasing
// energy (so the first k of them are the best rank-k part): a randomized range finder with one power
// iteration (Halko, Martinsson and Tropp 2011, algorithm 4.4) — Q spans d·dᵀ·d·Ω for a random Ω, then the
// small matrix Qᵀd is diagonalised. The power iteration matters: a fine-tune's update is low rank plus the
// rounding of every weight, and without it the factors carry enough of that noise to round a third more
// elements wrong.
struct Factors {
  std::size_t rank = 0;
  std::vector<float> left, right; // rows × rank, rank × cols
};

Factors factorize(const std::vector<float>& d, std::size_t rows, std::size_t cols, std::size_t l) {
  std::uint64_t state = 0x9e3779b97f4a7c15ULL; // splitmix64: the same factors on every run
  auto uniform = [&] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return double(z >> 11) * 0x1.0p-52 - 1.0; // [-1, 1)
  };
  std::vector<double> omega(cols * l);
  for (double& w : omega)
    w = uniform();
  std::vector<double> q = timesRight(d, rows, cols, omega, l);
  orthonormalizeColumns(q, rows, l);
  std::vector<double> z = transposedTimes(d, rows, cols, q, l);
  orthonormalizeColumns(z, cols, l);
  q = timesRight(d, rows, cols, z, l);
  orthonormalizeColumns(q, rows, l);

  // Bᵀ = dᵀQ (cols × l); B Bᵀ = W Λ Wᵀ, so d ≈ Q B = (Q W) (Wᵀ B), directions ordered by Λ.
  const std::vector<double> bt = transposedTimes(d, rows, cols, q, l);
  std::vector<double> gram(l * l, 0.0);
  for (std::size_t j = 0; j < cols; ++j)
    for (std::size_t a = 0; a < l; ++a)
      for (std::size_t c = 0; c < l; ++c)
        gram[a * l + c] += bt[j * l + a] * bt[j * l + c];
  std::vector<double> values, w;
  symmetricEigen(gram, l, values, w);

  // left = Q W (rows × l); right = (Bᵀ W)ᵀ (l × cols).
  const auto timesW = [&](const std::vector<double>& m, std::size_t n) {
    std::vector<float> product(n * l);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < l; ++k) {
        double sum = 0;
        for (std::size_t a = 0; a < l; ++a)
          sum += m[i * l + a] * w[a * l + k];
        product[i * l + k] = float(sum);
      }
    return product;
  };
  Factors factors;
  factors.rank = l;
  factors.left = timesW(q, rows);
  const std::vector<float> rightTransposed = timesW(bt, cols);
  factors.right.resize(l * cols);
  for (std::size_t j = 0; j < cols; ++j)
    for (std::size_t k = 0; k < l; ++k)
      factors.right[k * cols + j] = rightTransposed[j * l + k];
  return factors;
}

// For every rank k = 1..factors.rank, the estimated bytes per element of the residuals and exact values
// that round(base + the first k factors) needs on the given elements: the residuals' entropy (what zlib
// comes near) plus the escapes. The sum over k runs in the order applyLowRankUpdate uses.
std::vector<double> correctionBytesByRank(const MatrixView& m, const Factors& factors,
                                          const std::vector<std::size_t>& elements, double tolerance) {
  std::vector<std::vector<std::size_t>> histogram(factors.rank + 1,
                                                  std::vector<std::size_t>(kEscape + 129, 0));
  std::vector<float> scratch;
  std::byte rebuilt[4];
  for (const std::size_t e : elements) {
    const std::size_t i = e / m.cols, j = e % m.cols;
    double before;
    toDoubles(m.dtype, m.baseAt(e), 1, &before, scratch);
    double sum = 0;
    for (std::size_t k = 0; k < factors.rank; ++k) {
      sum += double(factors.left[i * factors.rank + k]) * double(factors.right[k * m.cols + j]);
      const double value = before + sum;
      fromDoubles(m.dtype, &value, 1, rebuilt, scratch);
      ++histogram[k + 1][std::size_t(
          residualOf(m.dtype, rebuilt, m.targetAt(e), m.element, tolerance, scratch) + 128)];
    }
  }
  std::vector<double> bytes(factors.rank + 1, 0.0);
  const double n = double(std::max<std::size_t>(elements.size(), 1));
  for (std::size_t k = 1; k <= factors.rank; ++k) {
    double bits = 0;
    for (std::size_t bin = 0; bin < histogram[k].size(); ++bin) {
      const double count = double(histogram[k][bin]);
      if (count > 0) bits -= count * std::log2(count / n);
    }
    const double escapes = double(histogram[k][kEscape + 128]);
    bytes[k] = (bits / 8 + escapes * double(sizeof(std::uint64_t) + m.element)) / n;
  }
  return bytes;
}

struct RankChoice {
  std::size_t rank = 0;
  double bytes = 0; // estimated size of the update
};

// The rank whose update is estimated smallest for a rows × cols tensor.
RankChoice chooseRank(const std::vector<double>& correctionBytes, std::size_t rows, std::size_t cols) {
  RankChoice best{0, 1e300};
  for (std::size_t k = 1; k < correctionBytes.size(); ++k) {
    const double bytes = double(k * (rows + cols) * sizeof(float)) + correctionBytes[k] * double(rows * cols);
    if (bytes < best.bytes) best = {k, bytes};
  }
  return best;
}

Factors truncated(const Factors& factors, std::size_t rows, std::size_t cols, std::size_t k) {
  Factors out;
  out.rank = k;
  out.left.resize(rows * k);
  for (std::size_t i = 0; i < rows; ++i)
    std::copy_n(factors.left.begin() + std::ptrdiff_t(i * factors.rank), k,
                out.left.begin() + std::ptrdiff_t(i * k));
  out.right.assign(factors.right.begin(), factors.right.begin() + std::ptrdiff_t(k * cols));
  return out;
}

// One row: round(base + left·right), `left` the row's factors. Each element's sum starts at 0 and adds the
// rank terms in order, as correctionBytesByRank counts them.
void rebuildRow(io::DType dtype, const std::byte* base, std::size_t cols, std::size_t rank, const float* left,
                const float* right, std::byte* out) {
  std::vector<double> sum(cols, 0.0), before(cols);
  std::vector<float> scratch;
  for (std::size_t k = 0; k < rank; ++k) {
    const double lk = left[k];
    const float* rk = right + k * cols;
    for (std::size_t j = 0; j < cols; ++j)
      sum[j] += lk * double(rk[j]);
  }
  toDoubles(dtype, base, cols, before.data(), scratch);
  for (std::size_t j = 0; j < cols; ++j)
    sum[j] = before[j] + sum[j];
  fromDoubles(dtype, sum.data(), cols, out, scratch);
}

} // namespace

std::size_t LowRankUpdate::storedBytes() const {
  return (left.size() + right.size()) * sizeof(float) + residuals.size() +
         corrected.size() * sizeof(std::uint64_t) + correctedValues.size();
}

bool lowRankDtype(io::DType dtype) {
  // Not F64: float32 factors are far coarser than its rounding, so every element would need a correction.
  return dtype == io::DType::F32 || dtype == io::DType::F16 || dtype == io::DType::BF16;
}

namespace {

// round(base + left·right) for the whole tensor, before the residuals.
void rebuildWithoutResiduals(io::DType dtype, const std::byte* base, const LowRankUpdate& update,
                             std::byte* out) {
  const std::size_t element = io::dtypeSize(dtype);
  inParallel(update.rows, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      rebuildRow(dtype, base + i * update.cols * element, update.cols, update.rank,
                 update.left.data() + i * update.rank, update.right.data(), out + i * update.cols * element);
  });
}

template <typename Bits> void addResiduals(std::byte* out, const std::int8_t* residuals, std::size_t count) {
  for (std::size_t e = 0; e < count; ++e) {
    if (residuals[e] == 0) continue;
    Bits bits;
    std::memcpy(&bits, out + e * sizeof(Bits), sizeof(Bits));
    bits = Bits(bits + Bits(std::int64_t(residuals[e]))); // modular: the target's pattern exactly
    std::memcpy(out + e * sizeof(Bits), &bits, sizeof(Bits));
  }
}

} // namespace

bool applyLowRankUpdate(io::DType dtype, const std::byte* base, const LowRankUpdate& update, std::byte* out) {
  const std::size_t element = io::dtypeSize(dtype), count = update.rows * update.cols;
  rebuildWithoutResiduals(dtype, base, update, out);
  std::vector<std::int8_t> residuals(count);
  uLongf unpacked = uLongf(count);
  if (uncompress(reinterpret_cast<Bytef*>(residuals.data()), &unpacked,
                 reinterpret_cast<const Bytef*>(update.residuals.data()),
                 uLong(update.residuals.size())) != Z_OK ||
      unpacked != count)
    return false;
  if (element == 4)
    addResiduals<std::uint32_t>(out, residuals.data(), count);
  else
    addResiduals<std::uint16_t>(out, residuals.data(), count);
  for (std::size_t k = 0; k < update.corrected.size(); ++k) {
    if (update.corrected[k] >= count) return false;
    std::memcpy(out + update.corrected[k] * element, update.correctedValues.data() + k * element, element);
  }
  return true;
}

std::optional<LowRankUpdate> findLowRankUpdate(io::DType dtype, const std::byte* base,
                                               const std::byte* target, std::size_t rows, std::size_t cols,
                                               double tolerance, std::size_t budget) {
  if (!lowRankDtype(dtype) || rows < 2 || cols < 2) return std::nullopt;
  const std::size_t element = io::dtypeSize(dtype);
  const std::size_t maxRank =
      std::min({kMaxRank, std::min(rows, cols) - 1, budget / ((rows + cols) * sizeof(float))});
  if (maxRank < 1) return std::nullopt;
  const MatrixView whole{dtype, base, target, rows, cols, element};

  // The quick look: a sub-matrix of evenly spaced rows and columns has the rank the update has, and its
  // elements round as often wrong; when even its best estimate cannot pay, the whole tensor is not factored.
  const std::size_t lookRows = std::min(rows, kLookSide), lookCols = std::min(cols, kLookSide);
  std::vector<std::byte> lookBase(lookRows * lookCols * element), lookTarget(lookBase.size());
  for (std::size_t r = 0; r < lookRows; ++r)
    for (std::size_t c = 0; c < lookCols; ++c) {
      const std::size_t from = (r * rows / lookRows) * cols + c * cols / lookCols, to = r * lookCols + c;
      std::memcpy(lookBase.data() + to * element, whole.baseAt(from), element);
      std::memcpy(lookTarget.data() + to * element, whole.targetAt(from), element);
    }
  const MatrixView look{dtype, lookBase.data(), lookTarget.data(), lookRows, lookCols, element};
  const std::size_t lookRank = std::min(maxRank + kOversampling, std::min(lookRows, lookCols));
  std::vector<std::size_t> lookElements(lookRows * lookCols);
  std::iota(lookElements.begin(), lookElements.end(), 0);
  const Factors lookFactors = factorize(differences(look), lookRows, lookCols, lookRank);
  const RankChoice estimate =
      chooseRank(correctionBytesByRank(look, lookFactors, lookElements, tolerance), rows, cols);
  if (estimate.rank == 0 || estimate.rank > maxRank || estimate.bytes >= 0.75 * double(budget))
    return std::nullopt;

  // The whole tensor, with some room above the estimated rank; the rank is chosen again on a sample of it.
  const std::size_t l = std::min({maxRank, estimate.rank + kOversampling, std::min(rows, cols)});
  const Factors factors = factorize(differences(whole), rows, cols, l);
  std::vector<std::size_t> sample;
  const std::size_t count = rows * cols, step = std::max<std::size_t>(1, count / kRankSamples);
  for (std::size_t e = step / 2; e < count; e += step)
    sample.push_back(e);
  const RankChoice choice = chooseRank(correctionBytesByRank(whole, factors, sample, tolerance), rows, cols);
  if (choice.rank == 0 || choice.bytes >= double(budget)) return std::nullopt;

  const Factors chosen = truncated(factors, rows, cols, choice.rank);
  LowRankUpdate update;
  update.rows = rows;
  update.cols = cols;
  update.rank = chosen.rank;
  update.left = chosen.left;
  update.right = chosen.right;
  std::vector<std::byte> rebuilt(count * element);
  rebuildWithoutResiduals(dtype, base, update, rebuilt.data());
  std::vector<std::int8_t> residuals(count, 0);
  std::vector<float> scratch;
  for (std::size_t e = 0; e < count; ++e) {
    const int residual =
        residualOf(dtype, rebuilt.data() + e * element, target + e * element, element, tolerance, scratch);
    if (residual != kEscape) {
      residuals[e] = std::int8_t(residual);
      continue;
    }
    update.corrected.push_back(e);
    update.correctedValues.insert(update.correctedValues.end(), target + e * element,
                                  target + (e + 1) * element);
  }
  uLongf packed = compressBound(uLong(count));
  update.residuals.resize(packed);
  if (compress2(reinterpret_cast<Bytef*>(update.residuals.data()), &packed,
                reinterpret_cast<const Bytef*>(residuals.data()), uLong(count), Z_BEST_SPEED) != Z_OK)
    return std::nullopt;
  update.residuals.resize(packed);
  if (update.storedBytes() >= budget) return std::nullopt; // the sample misjudged it
  return update;
}

} // namespace mg::theta
