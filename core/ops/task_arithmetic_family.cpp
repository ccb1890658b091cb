// Spec, "Generalized task arithmetic family"; mirrors mergekit/merge_methods/generalized_task_arithmetic.py
// (with λ applied to every method, as the spec's step 6 says).
#include "ops/task_arithmetic_family.h"

#include "ops/precision.h"

#include <ATen/ATen.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstring>
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
  const auto perInput = [&](const char* name, const std::vector<double>& values) {
    if (!values.empty() && values.size() != inputs) {
      throw std::invalid_argument(method.name + ": " + name + " has " + std::to_string(values.size()) +
                                  " values for " + std::to_string(inputs) + " inputs");
    }
  };
  perInput("density", params.densities);
  perInput("gamma", params.gammas);
  perInput("epsilon", params.epsilons);
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
// memory (a block of entries is written only after every δ_i of it was read). Per entry: the election sum
// Σ v_i·δ_i (v_i = w_i, or 1 for PEFT's count election) elects a sign (a sum of 0 elects +1); an entry of δ_i
// counts when sign(w_i)·sign(δ_i) agrees with it, so pruned zeros drop out of both the sum and the divisor.
// No vote, mask or divisor tensors: those cost more memory and time than the merge itself.
// The work goes block by block with the inputs as the outer loop, so that each inner loop runs over
// contiguous entries with no branch and the compiler vectorises it; every entry still adds its inputs in
// input order, so the bits are those of the entry-by-entry loop.
// `round` brings each intermediate result to the compute dtype (identity in float32, compiled away): the
// products w_i·δ_i, the sums, and the quotient, as mergekit's torch code rounds them in bf16 / f16.
constexpr std::int64_t kConsensusBlock = 512;

template <class Round>
void consensusBlock(const std::vector<const float*>& d, const std::vector<float>& w,
                    const std::vector<float>& sign, const std::vector<float>& vote, bool normalize,
                    float* out, std::int64_t first, std::int64_t length, Round round) {
  alignas(64) float elected[kConsensusBlock] = {}; // after the election: +1 or -1, the elected sign
  alignas(64) float mix[kConsensusBlock] = {};
  alignas(64) float divisor[kConsensusBlock] = {};
  const auto m = d.size();
  for (std::size_t i = 0; i < m; ++i) {
    const float* di = d[i] + first;
    const float vi = vote[i];
    for (std::int64_t t = 0; t < length; ++t)
      elected[t] += round(vi * di[t]);
  }
  for (std::int64_t t = 0; t < length; ++t)
    elected[t] = elected[t] >= 0.0f ? 1.0f : -1.0f; // NaN elects -1, as `>= 0` is false for it
  for (std::size_t i = 0; i < m; ++i) {
    const float* di = d[i] + first;
    const float wi = w[i], si = sign[i], vi = vote[i];
    for (std::int64_t t = 0; t < length; ++t) {
      // sign(w_i)·δ_i agrees with the elected sign when its product with it is > 0 (never for 0 or NaN).
      // Selects, not branches; adding +0 for an entry that does not count leaves the sums' bits as skipping
      // it would: they start at +0, and a float sum is -0 only when both terms are.
      const bool counts = di[t] * si * elected[t] > 0.0f;
      const float product = round(wi * di[t]);
      mix[t] += counts ? product : 0.0f;
      divisor[t] += counts ? vi : 0.0f;
    }
  }
  float* o = out + first;
  for (std::int64_t t = 0; t < length; ++t) {
    const float sum = round(mix[t]);
    const float by = round(divisor[t]);
    o[t] = normalize ? round(sum / (by == 0.0f ? 1.0f : by)) : sum;
  }
}

// The float32 block in explicit 4-lane vectors (GCC/Clang vector extensions): the same operations in the
// same order per entry as consensusBlock with identity rounding, so the same bits, but without relying on
// the auto-vectoriser, which turned the loop above into scalar code with a branch per input.
using Float4 = float __attribute__((vector_size(16)));
using Mask4 = std::int32_t __attribute__((vector_size(16)));

Float4 load4(const float* p) {
  Float4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// `value` where the mask is set, +0 elsewhere.
Float4 where(Mask4 mask, Float4 value) {
  return reinterpret_cast<Float4>(reinterpret_cast<Mask4>(value) & mask);
}

void consensusBlockF32(const std::vector<const float*>& d, const std::vector<float>& w,
                       const std::vector<float>& sign, const std::vector<float>& vote, bool normalize,
                       float* out, std::int64_t first) {
  constexpr std::int64_t kVectors = kConsensusBlock / 4;
  Float4 elected[kVectors], mix[kVectors], divisor[kVectors];
  const Float4 zero = {0.0f, 0.0f, 0.0f, 0.0f};
  for (std::int64_t v = 0; v < kVectors; ++v)
    elected[v] = mix[v] = divisor[v] = zero;
  const auto m = d.size();
  for (std::size_t i = 0; i < m; ++i) {
    const float* di = d[i] + first;
    const float vi = vote[i];
    for (std::int64_t v = 0; v < kVectors; ++v)
      elected[v] += vi * load4(di + 4 * v);
  }
  const Float4 plus = zero + 1.0f, minus = zero - 1.0f;
  for (std::int64_t v = 0; v < kVectors; ++v) // NaN elects -1, as `>= 0` is false for it
    elected[v] = elected[v] >= 0.0f ? plus : minus;
  for (std::size_t i = 0; i < m; ++i) {
    const float* di = d[i] + first;
    const float wi = w[i], si = sign[i];
    const Float4 vi = zero + vote[i];
    for (std::int64_t v = 0; v < kVectors; ++v) {
      const Float4 entries = load4(di + 4 * v);
      const Mask4 counts = entries * si * elected[v] > 0.0f;
      mix[v] += where(counts, wi * entries);
      divisor[v] += where(counts, vi);
    }
  }
  for (std::int64_t v = 0; v < kVectors; ++v) {
    const Float4 by = divisor[v] == 0.0f ? plus : divisor[v];
    const Float4 result = normalize ? mix[v] / by : mix[v];
    std::memcpy(out + first + 4 * v, &result, sizeof result);
  }
}

template <class Round>
void consensusEntries(const std::vector<const float*>& d, const std::vector<float>& w,
                      const std::vector<float>& sign, const std::vector<float>& vote, bool normalize,
                      float* out, std::int64_t count, Round round, bool exact) {
  const auto blocks = (count + kConsensusBlock - 1) / kConsensusBlock;
  at::parallel_for(0, blocks, 64, [&](std::int64_t begin, std::int64_t end) {
    for (auto block = begin; block < end; ++block) {
      const auto first = block * kConsensusBlock;
      if (exact && count - first >= kConsensusBlock)
        consensusBlockF32(d, w, sign, vote, normalize, out, first);
      else
        consensusBlock(d, w, sign, vote, normalize, out, first, std::min(kConsensusBlock, count - first),
                       round);
    }
  });
}

at::Tensor consensusMix(std::vector<at::Tensor>& deltas, const std::vector<double>& weights,
                        bool weightedVote, bool normalize, Precision precision) {
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
  if (precision == Precision::F32) {
    consensusEntries(
        d, w, sign, vote, normalize, out, mixed.numel(), [](float v) { return v; }, true);
  } else {
    consensusEntries(
        d, w, sign, vote, normalize, out, mixed.numel(),
        [precision](float v) { return roundValue(v, precision); }, false);
  }
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
  // mergekit holds the weights in the compute dtype too (torch.tensor(weights, dtype=deltas.dtype)).
  const Precision precision = params.precision;
  std::vector<double> w = weights;
  if (precision != Precision::F32)
    for (auto& x : w)
      x = roundValue(static_cast<float>(x), precision);

  // Steps 2–3: sparsify and rescale each δ_i with its own density and seed, in place.
  for (std::size_t i = 0; i < deltas.size(); ++i) {
    SparsifyOptions options;
    options.method = method.sparsifier;
    options.density = params.densityOf(i);
    options.gamma = params.gammaOf(i);
    options.epsilon = params.epsilonOf(i);
    options.rescale = rescale;
    options.seed = deriveSeed(params.seed, tensorName, i);
    options.precision = precision;
    sparsifyInPlace(deltas[i], options);
    if (method.sparsifier != Sparsifier::None) roundInPlace(deltas[i], precision);
  }
  at::Tensor mixed;
  if (consensus != Consensus::None) {
    mixed = consensusMix(deltas, w, weighted, normalize, precision);
  } else if (precision == Precision::F32) {
    // Step 4 without consensus: the weighted sum, accumulated in δ_0's memory.
    mixed = deltas[0].mul_(w[0]);
    for (std::size_t i = 1; i < deltas.size(); ++i)
      mixed.add_(deltas[i], w[i]);
  } else { // each w_i·δ_i rounded, then their sum
    mixed = rounded(deltas[0].mul_(w[0]), precision);
    for (std::size_t i = 1; i < deltas.size(); ++i)
      mixed.add_(rounded(deltas[i].mul_(w[i]), precision));
    roundInPlace(mixed, precision);
  }
  deltas.clear();
  if (consensus == Consensus::None && normalize) {
    double weightSum = 0.0;
    for (const double x : w)
      weightSum += x;
    if (precision != Precision::F32) weightSum = roundValue(static_cast<float>(weightSum), precision);
    mixed.div_(std::abs(weightSum) < 1e-8 ? 1.0 : weightSum);
    roundInPlace(mixed, precision);
  }
  if (params.lambda != 1.0) {
    mixed.mul_(params.lambda);
    roundInPlace(mixed, precision);
  }
  return mixed;
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
    roundInPlace(input, params.precision); // δ_i as mergekit holds it in the compute dtype
  }
  return mixOwned(method, std::move(inputs), weights, params, tensorName).add_(base32); // step 7
}

} // namespace mg::ops
