// Spec, "iso_c, iso_cts, tsv"; the paper's code is github.com/danielm1405/iso-merging (iso_c, iso_cts).
#include "ops/iso_merge.h"

#include <ATen/ATen.h>

#include <cmath>

#include "ops/singular_vectors.h"

namespace mg::ops {

namespace {

// The flat-spectrum update σ̄·U·Vᵀ, σ̄ the mean of all singular values.
at::Tensor isotropicUpdate(const at::Tensor& u, const at::Tensor& singularValues, const at::Tensor& vh) {
  return at::matmul(u, vh) * singularValues.mean();
}

// Iso-CTS's split of the rank budget r: `common` directions of M and `perTask` directions of each of the
// T tasks, common + T·perTask = r. perTask = round_half_even((r − int(r·f)) / T) as the paper's code
// (Python's round), lowered until the tasks fit in r.
struct IsoCtsBudget {
  std::int64_t common = 0;
  std::int64_t perTask = 0;
};

IsoCtsBudget isoCtsBudget(std::int64_t rank, std::int64_t tasks, double commonFraction) {
  const auto commonWanted = static_cast<std::int64_t>(static_cast<double>(rank) * commonFraction);
  auto perTask = static_cast<std::int64_t>(
      std::nearbyint(static_cast<double>(rank - commonWanted) / static_cast<double>(tasks)));
  while (perTask > 0 && perTask * tasks > rank)
    --perTask;
  return {rank - perTask * tasks, perTask};
}

} // namespace

at::Tensor isoCMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                     const std::vector<double>& weights, double lambda) {
  const auto sum = svd::sumOf(svd::weightedTaskVectors(inputs, base, weights));
  if (!svd::mergedAsMatrix(base)) return svd::baseplusScaled(base, sum, lambda);
  const auto m = svd::thinSvd(svd::asMatrix(sum));
  return svd::baseplusScaled(base, isotropicUpdate(m.u, m.s, m.vh), lambda);
}

at::Tensor isoCtsMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                       const std::vector<double>& weights, double lambda, double commonFraction) {
  const auto taskVectors = svd::weightedTaskVectors(inputs, base, weights);
  const auto sum = svd::sumOf(taskVectors);
  if (!svd::mergedAsMatrix(base)) return svd::baseplusScaled(base, sum, lambda);

  const auto budget =
      isoCtsBudget(svd::rankBudget(base), static_cast<std::int64_t>(inputs.size()), commonFraction);
  const auto m = svd::thinSvd(svd::asMatrix(sum));
  if (budget.perTask == 0) // the common subspace is M's whole: Iso-C
    return svd::baseplusScaled(base, isotropicUpdate(m.u, m.s, m.vh), lambda);

  const auto common = svd::leading(m, budget.common);
  std::vector<at::Tensor> us, ss, vhs;
  for (const auto& tau : taskVectors) {
    const auto matrix = svd::asMatrix(tau);
    // The task's part outside the common left subspace: τ − U_c·U_cᵀ·τ.
    const auto specific = matrix - at::matmul(common.u, at::matmul(common.u.t(), matrix));
    const auto top = svd::leading(svd::thinSvd(specific), budget.perTask);
    us.push_back(top.u);
    ss.push_back(top.s);
    vhs.push_back(top.vh);
  }
  us.push_back(common.u);
  ss.push_back(common.s);
  vhs.push_back(common.vh);
  const auto u = svd::polarFactor(at::cat(us, 1));
  const auto vh = svd::polarFactor(at::cat(vhs, 0));
  return svd::baseplusScaled(base, isotropicUpdate(u, at::cat(ss), vh), lambda);
}

} // namespace mg::ops
