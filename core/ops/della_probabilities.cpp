// Spec, DELLA (della_magprune): the keep probability of every entry of a task vector from its magnitude
// rank within its row; mirrors mergekit/sparsify.py's della_magprune.
#include "ops/della_probabilities.h"

#include <ATen/ATen.h>

#include <sstream>
#include <stdexcept>

namespace mg::ops {

namespace {

std::string decimal(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

} // namespace

// DELLA keep probabilities: p = (d−ε) + 2ε·(r−1)/(n−1) for the rank r of |δ| within its row. Rows are along
// dim 1 as in mergekit (a vector is one row). A row of one entry gets p = d (the formula is 0/0 there).
at::Tensor dellaKeepProbabilities(const at::Tensor& delta, double density, double epsilon) {
  if (!(density - epsilon > 0.0) || !(density + epsilon < 1.0)) {
    throw std::invalid_argument("della_magprune needs 0 < density - epsilon and density + epsilon < 1, got "
                                "density " +
                                decimal(density) + ", epsilon " + decimal(epsilon));
  }
  const auto rows = delta.dim() < 2 ? delta.reshape({1, -1}) : delta;
  const auto n = rows.size(1);
  const auto order = std::get<1>(at::sort(rows.abs(), /*stable=*/true, /*dim=*/1, /*descending=*/false));
  const auto ranks = at::argsort(order, /*dim=*/1, /*descending=*/false).to(at::kFloat); // 0-based: r − 1
  const auto rankNorm = n > 1 ? ranks / static_cast<double>(n - 1) : at::full_like(ranks, 0.5);
  return ((density - epsilon) + rankNorm * (2.0 * epsilon)).reshape(delta.sizes());
}

} // namespace mg::ops
