// Spec, DELLA (della_magprune): the keep probability of every entry of a task vector from its magnitude
// rank within its row; mirrors mergekit/sparsify.py's della_magprune.
#include "ops/della_probabilities.h"

#include "ops/row_magnitude_ranks.h"

#include <ATen/ATen.h>

#include <sstream>
#include <stdexcept>
#include <vector>

namespace mg::ops {

namespace {

std::string decimal(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// a·b rounded to float on its own, never fused into a following addition (as ATen's separate mul and add).
float separatelyRoundedProduct(float a, float b) {
  volatile float product = a * b;
  return product;
}

// The probability of each 0-based rank in a row of n entries, with the float32 roundings of mergekit's
// tensor expression (d − ε) + rank.float() / (n − 1) · 2ε: each double scalar is rounded to float, then
// each operation is rounded in turn. A row of one entry gets rank norm 0.5, so p = d.
void checkDensityAndEpsilon(double density, double epsilon) {
  if (!(density - epsilon > 0.0) || !(density + epsilon < 1.0)) {
    throw std::invalid_argument("della_magprune needs 0 < density - epsilon and density + epsilon < 1, got "
                                "density " +
                                decimal(density) + ", epsilon " + decimal(epsilon));
  }
}

} // namespace

std::vector<float> dellaProbabilityOfRank(std::int64_t n, double density, double epsilon) {
  checkDensityAndEpsilon(density, epsilon);
  const float lowest = static_cast<float>(density - epsilon);
  const float spread = static_cast<float>(2.0 * epsilon);
  const float lastRank = static_cast<float>(n - 1);
  std::vector<float> probability(static_cast<std::size_t>(n));
  for (std::int64_t rank = 0; rank < n; ++rank) {
    const float norm = n > 1 ? static_cast<float>(rank) / lastRank : 0.5f;
    probability[static_cast<std::size_t>(rank)] = separatelyRoundedProduct(norm, spread) + lowest;
  }
  return probability;
}

// DELLA keep probabilities: p = (d−ε) + 2ε·(r−1)/(n−1) for the rank r of |δ| within its row. Rows are along
// dim 1 as in mergekit (a vector is one row; for more dimensions, each row is the entries that differ only in
// their dim-1 index). A row of one entry gets p = d (the formula is 0/0 there).
at::Tensor dellaKeepProbabilities(const at::Tensor& delta, double density, double epsilon) {
  checkDensityAndEpsilon(density, epsilon);
  const auto type = delta.scalar_type();
  if (type != at::kFloat && type != at::kHalf && type != at::kBFloat16) {
    // float16 and bfloat16 widen to float32 exactly, so their magnitudes keep their order and their ties.
    throw std::invalid_argument(
        std::string("della_magprune ranks float32, float16 or bfloat16 task vectors, got ") +
        c10::toString(type));
  }
  const auto values = delta.to(at::kFloat).contiguous(); // no copy for a contiguous float32 tensor
  RowLayout layout;
  if (delta.dim() < 2) {
    layout.length = values.numel();
  } else {
    layout.outer = delta.size(0);
    layout.length = delta.size(1);
    for (std::int64_t d = 2; d < delta.dim(); ++d)
      layout.inner *= delta.size(d);
  }
  auto probabilities = at::empty(delta.sizes(), values.options());
  const auto probabilityByRank = dellaProbabilityOfRank(layout.length, density, epsilon);
  mapMagnitudeRanks(values.data_ptr<float>(), probabilities.data_ptr<float>(), layout,
                    probabilityByRank.data());
  return probabilities;
}

} // namespace mg::ops
