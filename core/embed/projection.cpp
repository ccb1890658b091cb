#include "embed/projection.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mg::embed {

namespace {

// The top two eigenpairs of a symmetric n × n matrix, as coordinates u_k · sqrt(max(λ_k, 0)).
std::vector<Point2> topTwo(const Matrix& symmetric) {
  const auto n = std::int64_t(symmetric.size());
  std::vector<Point2> points(static_cast<std::size_t>(n));
  if (n == 0) return points;
  at::Tensor m = at::empty({n, n}, at::kDouble);
  auto acc = m.accessor<double, 2>();
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      acc[i][j] =
          0.5 * (symmetric[std::size_t(i)][std::size_t(j)] + symmetric[std::size_t(j)][std::size_t(i)]);
  const auto [values, vectors] = at::linalg_eigh(m); // ascending eigenvalues
  auto vals = values.accessor<double, 1>();
  auto vecs = vectors.accessor<double, 2>();
  for (int k = 0; k < 2 && k < n; ++k) {
    const std::int64_t column = n - 1 - k;
    const double scale = std::sqrt(std::max(vals[column], 0.0));
    // Fix the sign: the coordinate of largest magnitude is positive (the first one on ties).
    std::int64_t largest = 0;
    for (std::int64_t i = 1; i < n; ++i)
      if (std::abs(vecs[i][column]) > std::abs(vecs[largest][column]) + 1e-12) largest = i;
    const double sign = vecs[largest][column] < 0 ? -1.0 : 1.0;
    for (std::int64_t i = 0; i < n; ++i)
      (k == 0 ? points[std::size_t(i)].x : points[std::size_t(i)].y) = sign * scale * vecs[i][column];
  }
  return points;
}

// Double centring: −½ J S J for a matrix S (squared distances), or J G J with the sign flipped for a Gram.
Matrix doubleCentre(Matrix s, double factor) {
  const std::size_t n = s.size();
  std::vector<double> rowMean(n, 0.0);
  double all = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j)
      rowMean[i] += s[i][j];
    all += rowMean[i];
    rowMean[i] /= double(n);
  }
  all /= double(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      s[i][j] = factor * (s[i][j] - rowMean[i] - rowMean[j] + all);
  return s;
}

// A splitmix64 stream and Box–Muller normals: the same starting layout on every platform and library.
class Normals {
public:
  explicit Normals(std::uint64_t seed) : state_(seed) {}
  double next() {
    if (spare_) {
      spare_ = false;
      return second_;
    }
    const double u1 = (double(bits() >> 11) + 0.5) * 0x1.0p-53, u2 = double(bits() >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1)), angle = 2.0 * M_PI * u2;
    second_ = r * std::sin(angle);
    spare_ = true;
    return r * std::cos(angle);
  }

private:
  std::uint64_t bits() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
  bool spare_ = false;
  double second_ = 0;
};

// Row i of the input affinities: a Gaussian over the squared distances whose entropy matches
// log(perplexity), found by bisection on its precision.
void conditionalRow(const Matrix& d2, std::size_t i, double perplexity, std::vector<double>& row) {
  const std::size_t n = d2.size();
  const double target = std::log(perplexity);
  double beta = 1.0, lo = 0.0, hi = HUGE_VAL;
  // Scale-free start: 1 / the mean squared distance.
  double mean = 0;
  for (std::size_t j = 0; j < n; ++j)
    if (j != i) mean += d2[i][j];
  mean /= double(n - 1);
  if (mean > 0) beta = 1.0 / mean;
  for (int attempt = 0; attempt < 200; ++attempt) {
    double sum = 0, weighted = 0;
    double minD = HUGE_VAL;
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) minD = std::min(minD, d2[i][j]);
    for (std::size_t j = 0; j < n; ++j) {
      row[j] = j == i ? 0.0 : std::exp(-beta * (d2[i][j] - minD)); // shifted for range; cancels below
      sum += row[j];
      weighted += row[j] * (d2[i][j] - minD);
    }
    const double entropy = std::log(sum) + beta * weighted / sum;
    for (std::size_t j = 0; j < n; ++j)
      row[j] /= sum;
    const double diff = entropy - target;
    if (std::abs(diff) < 1e-5) break;
    if (diff > 0) { // too flat: sharpen
      lo = beta;
      beta = hi == HUGE_VAL ? beta * 2 : 0.5 * (beta + hi);
    } else {
      hi = beta;
      beta = 0.5 * (beta + lo);
    }
  }
}

} // namespace

std::vector<Point2> pcaProjection(const std::vector<std::vector<float>>& vectors) {
  const std::size_t n = vectors.size();
  if (n == 0) return {};
  const std::size_t dims = vectors.front().size();
  for (const auto& v : vectors)
    if (v.size() != dims) throw std::invalid_argument("embeddings of different lengths cannot be projected");
  // Centre, then the Gram matrix: its eigenvectors scaled by sqrt(λ) are the principal component scores.
  std::vector<double> mean(dims, 0.0);
  for (const auto& v : vectors)
    for (std::size_t k = 0; k < dims; ++k)
      mean[k] += v[k];
  for (auto& m : mean)
    m /= double(n);
  Matrix gram(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) {
      double dot = 0;
      for (std::size_t k = 0; k < dims; ++k)
        dot += (vectors[i][k] - mean[k]) * (vectors[j][k] - mean[k]);
      gram[i][j] = gram[j][i] = dot;
    }
  return topTwo(gram);
}

std::vector<Point2> mdsProjection(const Matrix& distance) {
  Matrix squared = distance;
  for (auto& row : squared) {
    if (row.size() != distance.size()) throw std::invalid_argument("the distance matrix is not square");
    for (auto& d : row)
      d *= d;
  }
  return topTwo(doubleCentre(std::move(squared), -0.5));
}

std::vector<Point2> tsneProjection(const Matrix& distance, const TsneOptions& options) {
  const std::size_t n = distance.size();
  if (n < 4) return mdsProjection(distance);
  Matrix d2 = distance;
  for (auto& row : d2) {
    if (row.size() != n) throw std::invalid_argument("the distance matrix is not square");
    for (auto& d : row)
      d *= d;
  }
  const double perplexity = options.perplexity > 0 ? std::min(options.perplexity, double(n - 1))
                                                   : std::max(1.0, std::min(30.0, double(n - 1) / 3.0));
  // Symmetric input affinities P = (P_j|i + P_i|j) / 2n.
  Matrix p(n, std::vector<double>(n, 0.0));
  std::vector<double> row(n);
  for (std::size_t i = 0; i < n; ++i) {
    conditionalRow(d2, i, perplexity, row);
    for (std::size_t j = 0; j < n; ++j)
      p[i][j] += row[j];
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      p[i][j] = p[j][i] = std::max((p[i][j] + p[j][i]) / (2.0 * double(n)), 1e-12);

  Normals normals(options.seed);
  std::vector<Point2> y(n), velocity(n), gains(n, Point2{1, 1});
  for (auto& point : y) {
    point.x = 1e-4 * normals.next();
    point.y = 1e-4 * normals.next();
  }
  const int exaggerationEnd = std::min(250, options.iterations / 4);
  const double learningRate = std::max(double(n) / 12.0, 50.0);
  Matrix q(n, std::vector<double>(n, 0.0));
  for (int it = 0; it < options.iterations; ++it) {
    const double exaggeration = it < exaggerationEnd ? 12.0 : 1.0;
    const double momentum = it < exaggerationEnd ? 0.5 : 0.8;
    // Student-t output affinities.
    double sumQ = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        const double dx = y[i].x - y[j].x, dy = y[i].y - y[j].y;
        q[i][j] = q[j][i] = 1.0 / (1.0 + dx * dx + dy * dy);
        sumQ += 2.0 * q[i][j];
      }
    for (std::size_t i = 0; i < n; ++i) {
      Point2 grad;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double w = (exaggeration * p[i][j] - q[i][j] / sumQ) * q[i][j];
        grad.x += 4.0 * w * (y[i].x - y[j].x);
        grad.y += 4.0 * w * (y[i].y - y[j].y);
      }
      // Adaptive gains (Jacobs 1988), as in the reference implementation.
      auto step = [&](double g, double& v, double& gain) {
        gain = (g > 0) != (v > 0) ? gain + 0.2 : std::max(gain * 0.8, 0.01);
        v = momentum * v - learningRate * gain * g;
      };
      step(grad.x, velocity[i].x, gains[i].x);
      step(grad.y, velocity[i].y, gains[i].y);
    }
    Point2 centre;
    for (std::size_t i = 0; i < n; ++i) {
      y[i].x += velocity[i].x;
      y[i].y += velocity[i].y;
      centre.x += y[i].x / double(n);
      centre.y += y[i].y / double(n);
    }
    for (auto& point : y) {
      point.x -= centre.x;
      point.y -= centre.y;
    }
  }
  return y;
}

} // namespace mg::embed
