#include "search/adamerging.h"

#include <ATen/ATen.h>

#include <map>
#include <stdexcept>

#include "eval/classifier.h"
#include "search/adamerging_descent.h"

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
  const detail::TaskVectors vectors = detail::loadTaskVectors(base, models);
  std::vector<at::Tensor> inputs;
  for (const auto& task : tasks)
    inputs.push_back(taskInputs(task));

  // The merged weights with autograd from λ: the classifier's logits then carry the gradient to λ.
  const auto entropy = [&](const at::Tensor& lambda, at::Generator& generator, at::Tensor& gradient) {
    const at::Tensor tracked = lambda.detach().clone().requires_grad_(true);
    std::map<std::string, at::Tensor> merged = vectors.base;
    const at::Tensor coefficients = tracked.to(at::kFloat);
    for (std::size_t g = 0; g < vectors.varying.size(); ++g) {
      const auto& name = vectors.varying[g];
      at::Tensor value = merged.at(name);
      const auto& taus = vectors.taus.at(name);
      for (std::size_t i = 0; i < taus.size(); ++i)
        value = value + coefficients[std::int64_t(i)][detail::coefficientGroup(options, g)] * taus[i];
      merged[name] = value;
    }
    const auto model = makeClassifier(std::make_shared<TrackedWeights>(vectors.infos, std::move(merged)));
    at::Tensor loss = at::zeros({}, at::kFloat);
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      const at::Tensor batch =
          inputs[t].index_select(0, detail::batchIndices(inputs[t].size(0), options.batchSize, generator));
      const at::Tensor logits = model->differentiableLogits(batch, tasks[t].name);
      const at::Tensor logp = at::log_softmax(logits, 1);
      loss = loss + (-(logp.exp() * logp).sum(1).mean());
    }
    loss = loss / double(tasks.size());
    loss.backward();
    gradient = tracked.grad().detach();
    return loss.item<double>();
  };
  return detail::descend(vectors, models.size(), options, entropy);
}

} // namespace mg::search
