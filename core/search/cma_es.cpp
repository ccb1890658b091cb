#include "search/cma_es.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace mg::search {

void symmetricEigen(std::vector<double> a, int n, std::vector<double>& values, std::vector<double>& vectors) {
  vectors.assign(std::size_t(n) * n, 0.0);
  for (int i = 0; i < n; ++i)
    vectors[std::size_t(i) * n + i] = 1.0;
  auto at = [n](std::vector<double>& m, int r, int c) -> double& { return m[std::size_t(r) * n + c]; };
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (int p = 0; p < n; ++p)
      for (int q = p + 1; q < n; ++q)
        off += at(a, p, q) * at(a, p, q);
    if (off < 1e-30) break;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        const double apq = at(a, p, q);
        if (std::fabs(apq) < 1e-300) continue;
        // The rotation that zeroes a[p][q] (Golub & Van Loan, symmetric Schur decomposition).
        const double theta = (at(a, q, q) - at(a, p, p)) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; ++k) {
          const double akp = at(a, k, p), akq = at(a, k, q);
          at(a, k, p) = c * akp - s * akq;
          at(a, k, q) = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {
          const double apk = at(a, p, k), aqk = at(a, q, k);
          at(a, p, k) = c * apk - s * aqk;
          at(a, q, k) = s * apk + c * aqk;
        }
        for (int k = 0; k < n; ++k) {
          const double vkp = at(vectors, k, p), vkq = at(vectors, k, q);
          at(vectors, k, p) = c * vkp - s * vkq;
          at(vectors, k, q) = s * vkp + c * vkq;
        }
      }
    }
  }
  values.resize(std::size_t(n));
  for (int i = 0; i < n; ++i)
    values[std::size_t(i)] = at(a, i, i);
}

CmaEs::CmaEs(std::vector<double> start, double sigma, std::uint64_t seed, int population)
    : mean_(std::move(start)), sigma_(sigma), random_(seed) {
  if (mean_.empty()) throw std::invalid_argument("CMA-ES needs at least one coordinate");
  if (!(sigma > 0)) throw std::invalid_argument("CMA-ES needs a positive step size");
  n_ = int(mean_.size());
  const double n = n_;
  lambda_ = population > 0 ? population : 4 + int(std::floor(3 * std::log(n)));
  lambda_ = std::max(lambda_, 2);
  mu_ = lambda_ / 2;
  for (int i = 0; i < mu_; ++i)
    weights_.push_back(std::log(mu_ + 0.5) - std::log(i + 1.0));
  const double sum = std::accumulate(weights_.begin(), weights_.end(), 0.0);
  double squares = 0;
  for (auto& w : weights_) {
    w /= sum;
    squares += w * w;
  }
  muEff_ = 1 / squares;
  cc_ = (4 + muEff_ / n) / (n + 4 + 2 * muEff_ / n);
  cs_ = (muEff_ + 2) / (n + muEff_ + 5);
  c1_ = 2 / ((n + 1.3) * (n + 1.3) + muEff_);
  cmu_ = std::min(1 - c1_, 2 * (muEff_ - 2 + 1 / muEff_) / ((n + 2) * (n + 2) + muEff_));
  damps_ = 1 + 2 * std::max(0.0, std::sqrt((muEff_ - 1) / (n + 1)) - 1) + cs_;
  chiN_ = std::sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  pc_.assign(std::size_t(n_), 0.0);
  ps_.assign(std::size_t(n_), 0.0);
  C_.assign(std::size_t(n_) * n_, 0.0);
  for (int i = 0; i < n_; ++i)
    C_[std::size_t(i) * n_ + i] = 1.0;
  updateEigensystem();
}

void CmaEs::updateEigensystem() {
  std::vector<double> values;
  symmetricEigen(C_, n_, values, B_);
  D_.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    D_[i] = std::sqrt(std::max(values[i], 1e-20));
}

std::vector<std::vector<double>> CmaEs::ask() {
  std::normal_distribution<double> normal;
  asked_.clear();
  for (int k = 0; k < lambda_; ++k) {
    std::vector<double> z(static_cast<std::size_t>(n_));
    for (auto& v : z)
      v = normal(random_);
    std::vector<double> x = mean_;
    for (int i = 0; i < n_; ++i) {
      double y = 0;
      for (int j = 0; j < n_; ++j)
        y += B_[std::size_t(i) * n_ + j] * D_[std::size_t(j)] * z[std::size_t(j)];
      x[std::size_t(i)] += sigma_ * y;
    }
    asked_.push_back(std::move(x));
  }
  return asked_;
}

void CmaEs::tell(const std::vector<double>& values) {
  if (asked_.empty()) throw std::invalid_argument("CMA-ES: tell() without ask()");
  if (values.size() != asked_.size()) throw std::invalid_argument("CMA-ES: one value per candidate");
  std::vector<int> order(asked_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return values[a] < values[b]; });

  const std::size_t n = std::size_t(n_);
  const std::vector<double> old = mean_;
  std::fill(mean_.begin(), mean_.end(), 0.0);
  for (int k = 0; k < mu_; ++k)
    for (std::size_t i = 0; i < n; ++i)
      mean_[i] += weights_[std::size_t(k)] * asked_[std::size_t(order[std::size_t(k)])][i];
  std::vector<double> step(n);
  for (std::size_t i = 0; i < n; ++i)
    step[i] = (mean_[i] - old[i]) / sigma_;

  // C^(-1/2) · step = B D^-1 Bᵀ step.
  std::vector<double> inner(n, 0.0), whitened(n, 0.0);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i)
      inner[j] += B_[i * n + j] * step[i];
    inner[j] /= D_[j];
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      whitened[i] += B_[i * n + j] * inner[j];
  const double psScale = std::sqrt(cs_ * (2 - cs_) * muEff_);
  double psNorm = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ps_[i] = (1 - cs_) * ps_[i] + psScale * whitened[i];
    psNorm += ps_[i] * ps_[i];
  }
  psNorm = std::sqrt(psNorm);
  ++generation_;
  const double hsig =
      psNorm / std::sqrt(1 - std::pow(1 - cs_, 2.0 * generation_)) / chiN_ < 1.4 + 2 / (n_ + 1.0) ? 1 : 0;
  const double pcScale = hsig * std::sqrt(cc_ * (2 - cc_) * muEff_);
  for (std::size_t i = 0; i < n; ++i)
    pc_[i] = (1 - cc_) * pc_[i] + pcScale * step[i];

  const double keep = 1 - c1_ - cmu_ + (1 - hsig) * c1_ * cc_ * (2 - cc_);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double rankMu = 0;
      for (int k = 0; k < mu_; ++k) {
        const auto& x = asked_[std::size_t(order[std::size_t(k)])];
        rankMu += weights_[std::size_t(k)] * ((x[i] - old[i]) / sigma_) * ((x[j] - old[j]) / sigma_);
      }
      C_[i * n + j] = keep * C_[i * n + j] + c1_ * pc_[i] * pc_[j] + cmu_ * rankMu;
    }
  }
  sigma_ *= std::exp((cs_ / damps_) * (psNorm / chiN_ - 1));
  updateEigensystem();
  asked_.clear();
}

} // namespace mg::search
