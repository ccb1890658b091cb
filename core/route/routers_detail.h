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

protected:
  std::string topKText() const; // "top-1", "all"
  int topK_;
  double temperature_;
};

std::unique_ptr<Router> makeArrowRouter(const AdapterLibrary& library, const RouterOptions& options);
// A linear router on LayerNorm(features): scores = W·LayerNorm(f) + b, W [J, d], b [J]. `method` names it
// ("trained" or "smear").
std::unique_ptr<Router> makeLinearRouter(at::Tensor weight, at::Tensor bias, int topK, double temperature,
                                         std::string method);
// Logistic regression of `labels` [N] (specialist indices) on LayerNorm(features [N, d]): full-batch Adam,
// `steps` steps, initialised from `seed`. Returns (W [classes, d], b [classes]).
std::pair<at::Tensor, at::Tensor> fitLinearRouter(const at::Tensor& features, const at::Tensor& labels,
                                                  std::int64_t classes, int steps, std::uint64_t seed);

} // namespace mg::route::detail
