#include "search/adamerging_descent.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <stdexcept>

namespace mg::search::detail {

TaskVectors loadTaskVectors(const engine::WeightSetPtr& base,
                            const std::vector<engine::WeightSetPtr>& models) {
  TaskVectors out;
  out.infos = base->tensors();
  for (const auto& info : out.infos) {
    at::Tensor b = base->load(info.name);
    std::vector<at::Tensor> taus;
    bool changes = false;
    for (std::size_t i = 0; i < models.size(); ++i) {
      const auto* own = models[i]->find(info.name);
      if (!own || own->shape != info.shape)
        throw std::runtime_error(info.name + ": model " + std::to_string(i + 1) + " (" +
                                 models[i]->describe() + ") " +
                                 (own ? "has another shape than the base" : "lacks it"));
      taus.push_back(models[i]->load(info.name) - b);
      changes = changes || taus.back().abs().max().item<float>() > 0;
    }
    out.base.emplace(info.name, std::move(b));
    if (changes) {
      out.varying.push_back(info.name);
      out.taus.emplace(info.name, std::move(taus));
    }
  }
  return out;
}

at::Tensor batchIndices(std::int64_t count, std::int64_t batchSize, at::Generator& generator) {
  if (batchSize >= count) return at::arange(count, at::kLong);
  return at::randint(count, {batchSize}, generator, at::TensorOptions(at::kLong));
}

AdaMergingResult descend(const TaskVectors& vectors, std::size_t models, const AdaMergingOptions& options,
                         const EntropyObjective& objective) {
  if (options.steps < 1) throw std::invalid_argument("AdaMerging needs at least one step");
  const bool layerWise = options.granularity == Granularity::Layer;
  const std::int64_t groups = layerWise ? std::max<std::int64_t>(std::int64_t(vectors.varying.size()), 1) : 1;
  at::Tensor lambda = at::full({std::int64_t(models), groups}, options.initial, at::kDouble);
  // Adam's moments, kept by hand: core uses ATen only (no torch::optim).
  at::Tensor m = at::zeros_like(lambda), v = at::zeros_like(lambda);
  const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);

  AdaMergingResult result;
  for (int step = 1; step <= options.steps; ++step) {
    if (options.cancel) options.cancel->throwIfCancelled();
    at::Tensor grad;
    const double entropy = objective(lambda, generator, grad);
    {
      at::NoGradGuard noGrad;
      m.mul_(beta1).add_(grad, 1 - beta1);
      v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
      const double correction1 = 1 - std::pow(beta1, step), correction2 = 1 - std::pow(beta2, step);
      lambda.sub_(options.learningRate * (m / correction1) / ((v / correction2).sqrt() + eps));
      lambda.clamp_(0.0, 1.0);
    }
    result.entropy.push_back(entropy);
    if (options.progress) options.progress(step, entropy);
  }

  if (layerWise) result.tensors = vectors.varying;
  const at::Tensor final = lambda.contiguous();
  for (std::int64_t i = 0; i < final.size(0); ++i) {
    std::vector<double> row;
    for (std::int64_t g = 0; g < final.size(1); ++g)
      row.push_back(final[i][g].item<double>());
    result.coefficients.push_back(std::move(row));
  }
  return result;
}

} // namespace mg::search::detail
