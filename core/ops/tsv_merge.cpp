// Spec, "iso_c, iso_cts, tsv"; the paper's code is github.com/AntoAndGar/task_singular_vectors
// (compute_and_sum_svd_mem_reduction).
#include "ops/tsv_merge.h"

#include <ATen/ATen.h>

#include "ops/singular_vectors.h"

namespace mg::ops {

at::Tensor tsvMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                    const std::vector<double>& weights, double lambda, bool randomized, std::uint64_t seed) {
  const auto taskVectors = svd::weightedTaskVectors(inputs, base, weights);
  const auto tasks = static_cast<std::int64_t>(taskVectors.size());
  const auto perTask = svd::mergedAsMatrix(base) ? svd::rankBudget(base) / tasks : 0;
  if (perTask == 0) return svd::baseplusScaled(base, svd::sumOf(taskVectors), lambda);

  std::vector<at::Tensor> us, ss, vhs;
  for (std::size_t i = 0; i < taskVectors.size(); ++i) {
    const auto matrix = svd::asMatrix(taskVectors[i]);
    // Each input its own test matrix: seed and index mixed by the golden-ratio increment of SplitMix64.
    const auto top = randomized
                         ? svd::randomizedLeading(matrix, perTask, seed + 0x9E3779B97F4A7C15ULL * (i + 1))
                         : svd::leading(svd::thinSvd(matrix), perTask);
    us.push_back(top.u);
    ss.push_back(top.s);
    vhs.push_back(top.vh);
  }
  // U⊥·diag(S)·V⊥ᵀ: scaling U⊥'s columns by S is the diagonal product without forming diag(S).
  const auto u = svd::polarFactor(at::cat(us, 1));
  const auto vh = svd::polarFactor(at::cat(vhs, 0));
  return svd::baseplusScaled(base, at::matmul(u * at::cat(ss), vh), lambda);
}

} // namespace mg::ops
