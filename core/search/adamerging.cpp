#include "search/adamerging.h"

#include <ATen/ATen.h>

#include <map>
#include <stdexcept>

#include "eval/classifier.h"

namespace mg::search {

namespace {

// Named tensors held in memory, handed to a classifier as they are: a merged tensor keeps its autograd
// history, so the logits' gradient reaches the coefficients it was computed from.
class TrackedWeights final : public engine::WeightSet {
public:
  TrackedWeights(std::vector<io::TensorInfo> infos, std::map<std::string, at::Tensor> tensors)
      : infos_(std::move(infos)), tensors_(std::move(tensors)) {}
  const std::vector<io::TensorInfo>& tensors() const override { return infos_; }
  at::Tensor load(const std::string& name) const override {
    const auto found = tensors_.find(name);
    if (found == tensors_.end()) throw std::runtime_error(name + ": not among the merged tensors");
    return found->second;
  }
  std::string describe() const override { return "the AdaMerging model"; }

private:
  std::vector<io::TensorInfo> infos_;
  std::map<std::string, at::Tensor> tensors_;
};

struct TaskVectors {
  std::vector<io::TensorInfo> infos;
  std::map<std::string, at::Tensor> base;
  std::vector<std::string> varying;                    // tensors some model changes
  std::map<std::string, std::vector<at::Tensor>> taus; // per varying tensor, one per model
};

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

at::Tensor taskInputs(const UnlabelledTask& task) {
  if (task.shape.empty() || task.shape.front() < 1)
    throw std::invalid_argument("task " + task.name + " has no inputs");
  return at::from_blob(const_cast<float*>(task.inputs.data()), task.shape, at::kFloat).clone();
}

} // namespace

AdaMergingResult adaMerge(const engine::WeightSetPtr& base, const std::vector<engine::WeightSetPtr>& models,
                          const std::vector<UnlabelledTask>& tasks, const ClassifierFactory& makeClassifier,
                          const AdaMergingOptions& options) {
  if (models.empty()) throw std::invalid_argument("AdaMerging needs at least one model");
  if (tasks.empty()) throw std::invalid_argument("AdaMerging needs unlabelled inputs of at least one task");
  if (options.steps < 1) throw std::invalid_argument("AdaMerging needs at least one step");
  at::AutoGradMode enableGrad(true);
  const TaskVectors vectors = loadTaskVectors(base, models);
  std::vector<at::Tensor> inputs;
  for (const auto& task : tasks)
    inputs.push_back(taskInputs(task));

  const bool layerWise = options.granularity == Granularity::Layer;
  const std::int64_t groups = layerWise ? std::int64_t(vectors.varying.size()) : 1;
  at::Tensor lambda = at::full({std::int64_t(models.size()), std::max<std::int64_t>(groups, 1)},
                               options.initial, at::kDouble);
  lambda.requires_grad_(true);
  // Adam's moments, kept by hand: core uses ATen only (no torch::optim).
  at::Tensor m = at::zeros_like(lambda), v = at::zeros_like(lambda);
  const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);

  AdaMergingResult result;
  for (int step = 1; step <= options.steps; ++step) {
    if (options.cancel) options.cancel->throwIfCancelled();
    std::map<std::string, at::Tensor> merged = vectors.base;
    const at::Tensor coefficients = lambda.to(at::kFloat);
    for (std::size_t g = 0; g < vectors.varying.size(); ++g) {
      const auto& name = vectors.varying[g];
      at::Tensor value = merged.at(name);
      const auto& taus = vectors.taus.at(name);
      for (std::size_t i = 0; i < taus.size(); ++i)
        value = value + coefficients[std::int64_t(i)][layerWise ? std::int64_t(g) : 0] * taus[i];
      merged[name] = value;
    }
    const auto model = makeClassifier(std::make_shared<TrackedWeights>(vectors.infos, std::move(merged)));
    at::Tensor loss = at::zeros({}, at::kFloat);
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      const auto count = inputs[t].size(0);
      // A batch as large as the task takes all of it, in order (full-batch gradient descent).
      const at::Tensor batch =
          options.batchSize >= count
              ? inputs[t]
              : inputs[t].index_select(0, at::randint(count, {options.batchSize}, generator,
                                                      at::TensorOptions(at::kLong)));
      const at::Tensor logits = model->differentiableLogits(batch, tasks[t].name);
      const at::Tensor logp = at::log_softmax(logits, 1);
      loss = loss + (-(logp.exp() * logp).sum(1).mean());
    }
    loss = loss / double(tasks.size());
    if (lambda.grad().defined()) lambda.mutable_grad().zero_();
    loss.backward();
    {
      at::NoGradGuard noGrad;
      const at::Tensor grad = lambda.grad();
      m.mul_(beta1).add_(grad, 1 - beta1);
      v.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
      const double correction1 = 1 - std::pow(beta1, step), correction2 = 1 - std::pow(beta2, step);
      lambda.sub_(options.learningRate * (m / correction1) / ((v / correction2).sqrt() + eps));
      lambda.clamp_(0.0, 1.0);
    }
    result.entropy.push_back(loss.item<double>());
    if (options.progress) options.progress(step, result.entropy.back());
  }

  if (layerWise) result.tensors = vectors.varying;
  const at::Tensor final = lambda.detach().contiguous();
  for (std::int64_t i = 0; i < final.size(0); ++i) {
    std::vector<double> row;
    for (std::int64_t g = 0; g < final.size(1); ++g)
      row.push_back(final[i][g].item<double>());
    result.coefficients.push_back(std::move(row));
  }
  return result;
}

} // namespace mg::search
