#pragma once
// Internal to core/route: the routers behind makeRouter (router.h), one file per family.
#include <memory>
#include <string>

#include "route/router.h"

namespace mg::route::detail {

// Routers that decide once per input from the base model's representation of it: scores() gives [B, J]
// scores of the features, run() keeps the top k and mixes the specialists' updates with their softmax.
class InputLevelRouter : public Router {
public:
  InputLevelRouter(int topK, double temperature) : topK_(topK), temperature_(temperature) {}
  at::Tensor run(const AdapterLibrary& library, const at::Tensor& inputs, const std::string& task,
                 at::Tensor* weights) const override;
  // Scores [B, J] of the base features [B, d].
  virtual at::Tensor scores(const at::Tensor& features) const = 0;
  // The mixing weights [B, J] of the base features: softmax(score / temperature) over the top k scores.
  at::Tensor mix(const at::Tensor& features) const;

protected:
  std::string topKText() const; // "top-1", "all"
  int topK_;
  double temperature_;
};

// Throws std::runtime_error for a bad top_k, temperature or fit_examples.
void checkRouterOptions(const RouterOptions& options);

// The router of a data-driven method (nearest, trained, smear) fitted on base features [N, d] labelled with
// their specialist's index [N] (every one of the `specialists` labelled at least once): what makeRouter
// fits for the classifiers and route/lm_router.h for language models. Throws std::invalid_argument for arrow.
std::unique_ptr<InputLevelRouter> fitInputLevelRouter(const at::Tensor& features, const at::Tensor& labels,
                                                      std::int64_t specialists, const RouterOptions& options);

std::unique_ptr<Router> makeArrowRouter(const AdapterLibrary& library, const RouterOptions& options);
// Nearest-embedding routing on prototypes [J, d].
std::unique_ptr<InputLevelRouter> makeNearestInputRouter(at::Tensor prototypes, int topK, double temperature);
// A linear router on LayerNorm(features): scores = W·LayerNorm(f) + b, W [J, d], b [J]. `method` names it
// ("trained" or "smear").
std::unique_ptr<InputLevelRouter> makeLinearRouter(at::Tensor weight, at::Tensor bias, int topK,
                                                   double temperature, std::string method);
// Logistic regression of `labels` [N] (specialist indices) on LayerNorm(features [N, d]): full-batch Adam,
// `steps` steps, initialised from `seed`. Returns (W [classes, d], b [classes]).
std::pair<at::Tensor, at::Tensor> fitLinearRouter(const at::Tensor& features, const at::Tensor& labels,
                                                  std::int64_t classes, int steps, std::uint64_t seed);

} // namespace mg::route::detail
