#pragma once
// CMA-ES (Hansen's (μ/μ_w, λ) evolution strategy with rank-one and rank-μ covariance updates, as in
// "The CMA Evolution Strategy: A Tutorial", 2016, and LoraHub / mergekit-evolve), minimising. Plain C++:
// the coefficient search (search/coefficient_search.h) asks it for candidates and tells it their scores.
// Deterministic for a seed: the same tells give the same asks, which is what lets a stopped search replay
// its journal and resume.
#include <cstdint>
#include <random>
#include <vector>

namespace mg::search {

class CmaEs {
public:
  // `start`: the initial mean; `sigma`: the initial step size (in the coordinates' units); `population`: 0
  // for the default 4 + ⌊3 ln n⌋. Throws std::invalid_argument for an empty start or sigma <= 0.
  CmaEs(std::vector<double> start, double sigma, std::uint64_t seed, int population = 0);

  int population() const { return lambda_; }
  int dimension() const { return int(mean_.size()); }
  // The next generation's candidates (population() of them).
  std::vector<std::vector<double>> ask();
  // Their values, in ask()'s order (smaller is better). Throws std::invalid_argument on a count mismatch
  // or a tell without an ask.
  void tell(const std::vector<double>& values);
  const std::vector<double>& mean() const { return mean_; }
  double sigma() const { return sigma_; }

private:
  void updateEigensystem();

  int n_ = 0, lambda_ = 0, mu_ = 0;
  std::vector<double> weights_;
  double muEff_ = 0, cc_ = 0, cs_ = 0, c1_ = 0, cmu_ = 0, damps_ = 0, chiN_ = 0;
  std::vector<double> mean_, pc_, ps_;
  std::vector<double> C_, B_,
      D_; // covariance (n×n row-major), its eigenvectors (columns) and sqrt eigenvalues
  double sigma_ = 0;
  int generation_ = 0;
  std::mt19937_64 random_;
  std::vector<std::vector<double>> asked_;
};

// Eigen-decomposition of a symmetric n×n matrix (row-major) by cyclic Jacobi rotations: eigenvalues, and
// eigenvectors as the columns of `vectors`. For the small matrices of a coefficient search (n < 100).
void symmetricEigen(std::vector<double> matrix, int n, std::vector<double>& values,
                    std::vector<double>& vectors);

} // namespace mg::search
