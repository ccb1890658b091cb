// Spec, "Generalized task arithmetic family"; mirrors mergekit/merge_methods/generalized_task_arithmetic.py
// (with λ applied to every method, as the spec's step 6 says).
#include "ops/task_arithmetic_family.h"

#include <ATen/ATen.h>

#include <ATen/Parallel.h>

#include <cmath>
#include <stdexcept>

namespace mg::ops {

namespace {

void checkCounts(const FamilyMethod& method, std::size_t inputs, const std::vector<double>& weights,
                 const MergeParams& params) {
  if (inputs == 0) {
    throw std::invalid_argument(method.name + " needs at least 1 input, got 0");
  }
  if (weights.size() != inputs) {
    throw std::invalid_argument(method.name + ": " + std::to_string(weights.size()) + " weights for " +
                                std::to_string(inputs) + " inputs");
  }
  if (!params.densities.empty() && params.densities.size() != inputs) {
    throw std::invalid_argument(method.name + ": density has " + std::to_string(params.densities.size()) +
                                " values for " + std::to_string(inputs) + " inputs");
  }
}

double signum(double x) {
  return static_cast<double>((x > 0.0) - (x < 0.0));
}

} // namespace

namespace {

// `t` as a contiguous float32 tensor this merge may modify: itself when nobody else holds it (a tensor the
// engine loaded for this merge and handed over), else a copy. Working in place is what keeps a merge of N
// inputs near N + 2 tensors of memory instead of 3N.
at::Tensor ownedFloat32(at::Tensor t) {
  const bool unique = t.defined() && t.use_count() == 1 && t.storage().use_count() == 1;
  if (unique && t.scalar_type() == at::kFloat && t.is_contiguous()) return t;
  auto out = t.to(at::kFloat).contiguous();
  return out.is_same(t) || out.storage().is_alias_of(t.storage()) ? out.clone() : out;
}

// Steps 5–6 with TIES consensus, fused into one pass over the entries, writing the mix into deltas[0]'s
// memory (entry j is written only after every δ_i[j] was read). Per entry: the election sum Σ v_i·δ_i (v_i
// = w_i, or 1 for PEFT's count election) elects a sign (a sum of 0 elects +1); an entry of δ_i counts when
// sign(w_i)·sign(δ_i) agrees with it, so pruned zeros drop out of both the sum and the divisor. No vote,
// mask or divisor tensors: those cost more memory and time than the merge itself.
at::Tensor consensusMix(std::vector<at::Tensor>& deltas, const std::vector<double>& weights,
                        bool weightedVote, bool normalize) {
  const auto m = deltas.size();
  std::vector<const float*> d(m);
  std::vector<float> w(m), sign(m), vote(m);
  for (std::size_t i = 0; i < m; ++i) {
    d[i] = deltas[i].data_ptr<float>();
    w[i] = static_cast<float>(weights[i]);
    sign[i] = static_cast<float>(signum(weights[i]));
    vote[i] = weightedVote ? w[i] : 1.0f;
  }
  at::Tensor mixed = deltas.front();
  float* out = mixed.data_ptr<float>();
  at::parallel_for(0, mixed.numel(), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
    for (auto j = begin; j < end; ++j) {
      float elected = 0.0f;
      for (std::size_t i = 0; i < m; ++i)
        elected += vote[i] * d[i][j];
      const bool positive = elected >= 0.0f;
      float mix = 0.0f, divisor = 0.0f;
      for (std::size_t i = 0; i < m; ++i) {
        const float signedEntry = d[i][j] * sign[i];
        // Selects, not a branch: the signs are as good as random, so a branch mispredicts half the time.
        // Adding +0 for an entry that does not count leaves the sums' bits as skipping it would: they start
        // at +0, and a float sum is -0 only when both terms are.
        const bool counts = positive ? signedEntry > 0.0f : signedEntry < 0.0f;
        mix += counts ? w[i] * d[i][j] : 0.0f;
        divisor += counts ? vote[i] : 0.0f;
      }
      out[j] = normalize ? mix / (divisor == 0.0f ? 1.0f : divisor) : mix;
    }
  });
  deltas.clear();
  return mixed;
}

// Steps 2–6 on deltas this function owns (modified in place and released as they are used).
at::Tensor mixOwned(const FamilyMethod& method, std::vector<at::Tensor> deltas,
                    const std::vector<double>& weights, const MergeParams& params,
                    const std::string& tensorName) {
  checkCounts(method, deltas.size(), weights, params);
  const auto rescale = params.rescale.value_or(method.rescale);
  const auto consensus = params.consensus.value_or(method.consensus ? Consensus::Sum : Consensus::None);
  const bool normalize = params.normalize.value_or(method.normalize);
  // Sum elects on the weighted d_i = w_i·δ_i; CountPeft on the unweighted δ_i (PEFT's "total" election).
  const bool weighted = consensus == Consensus::Sum;

  // Steps 2–3: sparsify and rescale each δ_i with its own density and seed, in place.
  for (std::size_t i = 0; i < deltas.size(); ++i) {
    SparsifyOptions options;
    options.method = method.sparsifier;
    options.density = params.densityOf(i);
    options.gamma = params.gamma;
    options.epsilon = params.epsilon;
    options.rescale = rescale;
    options.seed = deriveSeed(params.seed, tensorName, i);
    sparsifyInPlace(deltas[i], options);
  }
  if (consensus != Consensus::None) {
    return consensusMix(deltas, weights, weighted, normalize).mul_(params.lambda);
  }
  // Step 4 without consensus: the weighted sum, accumulated in δ_0's memory.
  at::Tensor sum = deltas[0].mul_(weights[0]);
  for (std::size_t i = 1; i < deltas.size(); ++i)
    sum.add_(deltas[i], weights[i]);
  deltas.clear();
  if (normalize) {
    double weightSum = 0.0;
    for (const double w : weights)
      weightSum += w;
    sum.div_(std::abs(weightSum) < 1e-8 ? 1.0 : weightSum);
  }
  return sum.mul_(params.lambda);
}

} // namespace

at::Tensor mixTaskVectors(const FamilyMethod& method, const std::vector<at::Tensor>& deltas,
                          const std::vector<double>& weights, const MergeParams& params,
                          const std::string& tensorName) {
  std::vector<at::Tensor> owned;
  owned.reserve(deltas.size());
  for (const auto& delta : deltas)
    owned.push_back(delta.to(at::kFloat).contiguous().clone());
  return mixOwned(method, std::move(owned), weights, params, tensorName);
}

at::Tensor taskArithmeticMerge(const FamilyMethod& method, std::vector<at::Tensor> inputs,
                               const at::Tensor& base, const std::vector<double>& weights,
                               const MergeParams& params, const std::string& tensorName) {
  const auto base32 = base.to(at::kFloat);
  for (auto& input : inputs) { // step 1, in the inputs' own memory when they were handed over
    if (input.sizes() != base.sizes()) {
      throw std::invalid_argument(method.name + ": input shape " + c10::str(input.sizes()) +
                                  " differs from the base shape " + c10::str(base.sizes()));
    }
    input = ownedFloat32(std::move(input));
    input.sub_(base32);
  }
  return mixOwned(method, std::move(inputs), weights, params, tensorName).add_(base32); // step 7
}

} // namespace mg::ops
