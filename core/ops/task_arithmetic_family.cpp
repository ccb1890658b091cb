// Spec, "Generalized task arithmetic family"; mirrors mergekit/merge_methods/generalized_task_arithmetic.py
// (with λ applied to every method, as the spec's step 6 says).
#include "ops/task_arithmetic_family.h"

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

const std::vector<FamilyMethod>& familyMethods() {
  // The spec's table: sparsifier, consensus, normalize default, rescale default.
  static const std::vector<FamilyMethod> table = {
      {"task_arithmetic", Sparsifier::None, false, false, Rescale::None},
      {"ties", Sparsifier::Magnitude, true, true, Rescale::None},
      {"dare_ties", Sparsifier::Random, true, false, Rescale::L1},
      {"dare_linear", Sparsifier::Random, false, false, Rescale::L1},
      {"breadcrumbs", Sparsifier::MagnitudeOutliers, false, false, Rescale::None},
      {"breadcrumbs_ties", Sparsifier::MagnitudeOutliers, true, false, Rescale::None},
      {"della", Sparsifier::DellaMagprune, true, true, Rescale::L1},
      {"della_linear", Sparsifier::DellaMagprune, false, false, Rescale::L1},
      {"magnitude_prune", Sparsifier::Magnitude, false, false, Rescale::None},
  };
  return table;
}

const FamilyMethod* findFamilyMethod(const std::string& name) {
  for (const auto& method : familyMethods()) {
    if (method.name == name) {
      return &method;
    }
  }
  return nullptr;
}

at::Tensor mixTaskVectors(const FamilyMethod& method, const std::vector<at::Tensor>& deltas,
                          const std::vector<double>& weights, const MergeParams& params,
                          const std::string& tensorName) {
  checkCounts(method, deltas.size(), weights, params);
  const auto rescale = params.rescale.value_or(method.rescale);
  const auto consensus = params.consensus.value_or(method.consensus ? Consensus::Sum : Consensus::None);
  const bool normalize = params.normalize.value_or(method.normalize);

  // Steps 2–3: sparsify and rescale each δ_i with its own density and seed.
  std::vector<at::Tensor> sparse;
  sparse.reserve(deltas.size());
  for (std::size_t i = 0; i < deltas.size(); ++i) {
    SparsifyOptions options;
    options.method = method.sparsifier;
    options.density = params.densityOf(i);
    options.gamma = params.gamma;
    options.epsilon = params.epsilon;
    options.rescale = rescale;
    options.seed = deriveSeed(params.seed, tensorName, i);
    sparse.push_back(sparsify(deltas[i].to(torch::kFloat32), options));
  }

  // Steps 4–5, accumulated input by input rather than stacked, to keep memory near (inputs + 1) tensors.
  auto mixed = torch::zeros_like(sparse.front());
  at::Tensor divisor;
  if (consensus == Consensus::None) {
    double weightSum = 0.0;
    for (std::size_t i = 0; i < sparse.size(); ++i) {
      mixed.add_(sparse[i], weights[i]);
      weightSum += weights[i];
    }
    divisor = torch::scalar_tensor(std::abs(weightSum) < 1e-8 ? 1.0 : weightSum, mixed.options());
  } else {
    // Sum elects on the weighted d_i = w_i·δ_i; CountPeft on the unweighted δ_i (PEFT's "total" election).
    const bool weighted = consensus == Consensus::Sum;
    auto elected = torch::zeros_like(mixed);
    for (std::size_t i = 0; i < sparse.size(); ++i) {
      elected.add_(sparse[i], weighted ? weights[i] : 1.0);
    }
    const auto sign = (elected >= 0).to(torch::kFloat32) * 2 - 1; // a sum of 0 counts as +1
    divisor = torch::zeros_like(mixed);
    for (std::size_t i = 0; i < sparse.size(); ++i) {
      // sign(w_i·δ_i) = sign(w_i)·sign(δ_i); pruned zeros have sign 0 and drop out.
      const auto entrySign = weighted ? sparse[i].sign() * signum(weights[i]) : sparse[i].sign();
      const auto agree = (entrySign == sign).to(torch::kFloat32);
      mixed.add_(sparse[i] * agree, weights[i]);
      divisor.add_(agree, weighted ? weights[i] : 1.0);
    }
    divisor.masked_fill_(divisor == 0, 1.0);
  }

  // Step 6.
  if (normalize) {
    mixed.div_(divisor);
  }
  return mixed.mul_(params.lambda);
}

at::Tensor taskArithmeticMerge(const FamilyMethod& method, const std::vector<at::Tensor>& inputs,
                               const at::Tensor& base, const std::vector<double>& weights,
                               const MergeParams& params, const std::string& tensorName) {
  const auto base32 = base.to(torch::kFloat32);
  std::vector<at::Tensor> deltas; // step 1
  deltas.reserve(inputs.size());
  for (const auto& input : inputs) {
    if (input.sizes() != base.sizes()) {
      throw std::invalid_argument(method.name + ": input shape " + c10::str(input.sizes()) +
                                  " differs from the base shape " + c10::str(base.sizes()));
    }
    deltas.push_back(input.to(torch::kFloat32) - base32);
  }
  return base32 + mixTaskVectors(method, deltas, weights, params, tensorName); // step 7
}

} // namespace mg::ops
