#pragma once
// A routed model as a classifier: the library's specialists chosen per input by a router, evaluated per
// task like any model (eval/evaluation.h), plus how the routing went: how often the task's own specialist
// was chosen and where each task's examples were sent.
#include <memory>
#include <string>
#include <vector>

#include "eval/classifier.h"
#include "eval/evaluation.h"
#include "route/adapter_library.h"
#include "route/router.h"

namespace mg::route {

class RoutedClassifier final : public eval::Classifier {
public:
  RoutedClassifier(std::shared_ptr<const AdapterLibrary> library, std::shared_ptr<const Router> router);

  at::Tensor logits(const at::Tensor& inputs, const std::string& task = {}) const override;
  bool hasHeadFor(const std::string& task) const override { return library_->hasHeadFor(task); }
  std::vector<std::int64_t> exampleShape() const override { return library_->exampleShape(); }
  std::int64_t numLabels() const override { return library_->numLabels(); }
  std::string
  describe() const override; // "MerganserMLP 784-128-64-10 with 3 adapters, routed (arrow, top-1)"

  // Logits and, in `weights` [B, J], each example's weight per specialist (Router::run).
  at::Tensor run(const at::Tensor& inputs, const std::string& task, at::Tensor* weights) const;
  const AdapterLibrary& library() const { return *library_; }
  const Router& router() const { return *router_; }

private:
  std::shared_ptr<const AdapterLibrary> library_;
  std::shared_ptr<const Router> router_;
};

// eval::evaluate on the task plus the routing fields of TaskScore: the chosen specialist of an example is
// the one with its largest weight. Throws as eval::evaluate does; engine::Cancelled.
eval::TaskScore evaluateRouted(const RoutedClassifier& model, const io::TaskData& task,
                               const eval::EvaluationOptions& options = {});

} // namespace mg::route
