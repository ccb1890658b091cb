#include "route/routed_classifier.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "io/task_file.h"

namespace mg::route {

RoutedClassifier::RoutedClassifier(std::shared_ptr<const AdapterLibrary> library,
                                   std::shared_ptr<const Router> router)
    : library_(std::move(library)), router_(std::move(router)) {
  if (!library_ || !router_) throw std::invalid_argument("a routed classifier needs a library and a router");
}

at::Tensor RoutedClassifier::logits(const at::Tensor& inputs, const std::string& task) const {
  return run(inputs, task, nullptr);
}

at::Tensor RoutedClassifier::run(const at::Tensor& inputs, const std::string& task,
                                 at::Tensor* weights) const {
  at::NoGradGuard noGrad;
  return router_->run(*library_, inputs, task, weights);
}

std::string RoutedClassifier::describe() const {
  return library_->describe() + ", routed (" + router_->describe() + ")";
}

eval::TaskScore evaluateRouted(const RoutedClassifier& model, const io::TaskData& task,
                               const eval::EvaluationOptions& options) {
  auto score = eval::evaluate(model, task, options);
  // A second pass for the decisions: evaluate() sees logits only, and routing an MLP costs little.
  at::NoGradGuard noGrad;
  const auto& library = model.library();
  const auto count = static_cast<std::int64_t>(library.size());
  const auto inputs = at::from_blob(const_cast<float*>(task.inputs.data()), task.inputShape, at::kFloat);
  auto counts = at::zeros({count}, at::kLong);
  const auto batch = std::max<std::int64_t>(1, options.batchSize);
  for (std::int64_t begin = 0; begin < task.size(); begin += batch) {
    if (options.cancel) options.cancel->throwIfCancelled();
    at::Tensor weights;
    model.run(inputs.slice(0, begin, std::min(task.size(), begin + batch)), task.name, &weights);
    counts.index_add_(0, weights.argmax(1), at::ones({weights.size(0)}, at::kLong));
  }
  for (std::int64_t j = 0; j < count; ++j) {
    score.routedTo.push_back(library.specialists()[j].name);
    score.routedCounts.push_back(counts[j].item<std::int64_t>());
  }
  const int own = library.indexOf(task.name);
  if (own >= 0 && task.size() > 0)
    score.routingAccuracy = double(score.routedCounts[own]) / double(task.size());
  return score;
}

} // namespace mg::route
