// Routers that read the base model's representation of an input: nearest task embedding (cosine to
// prototypes) and the linear router of trained routing and SMEAR.
#include <ATen/CPUGeneratorImpl.h>

#include "route/adapter_library.h"

#include <ATen/ATen.h>
#include <torch/optim/adam.h>
#include "route/routers_detail.h"

namespace mg::route {

namespace detail {

at::Tensor InputLevelRouter::run(const AdapterLibrary& library, const at::Tensor& inputs,
                                 const std::string& task, at::Tensor* weights) const {
  at::NoGradGuard noGrad;
  const auto weightsOf = mix(library.baseFeatures(inputs));
  if (weights) *weights = weightsOf;
  return library.mixedForward(inputs, task, weightsOf);
}

at::Tensor InputLevelRouter::mix(const at::Tensor& features) const {
  return topKSoftmax(scores(features), topK_, temperature_);
}

std::string InputLevelRouter::topKText() const {
  return topK_ == 0 ? std::string("all") : "top-" + std::to_string(topK_);
}

namespace {

// Each row divided by its L2 norm (at least 1e-12, as torch.nn.functional.normalize).
at::Tensor unitRows(const at::Tensor& x) {
  return x / x.norm(2, {1}, /*keepdim=*/true).clamp_min(1e-12);
}

class NearestRouter final : public InputLevelRouter {
public:
  NearestRouter(at::Tensor prototypes, int topK, double temperature) : InputLevelRouter(topK, temperature) {
    prototypes_ = unitRows(prototypes);
  }
  std::string describe() const override { return "nearest, " + topKText(); }
  at::Tensor scores(const at::Tensor& features) const override {
    const auto unit = unitRows(features);
    return at::matmul(unit, prototypes_.t()); // cosine similarities [B, J]
  }

private:
  at::Tensor prototypes_;
};

at::Tensor layerNorm(const at::Tensor& features) {
  return at::layer_norm(features, {features.size(1)});
}

class LinearRouter final : public InputLevelRouter {
public:
  LinearRouter(at::Tensor weight, at::Tensor bias, int topK, double temperature, std::string method)
      : InputLevelRouter(topK, temperature), weight_(std::move(weight)), bias_(std::move(bias)),
        method_(std::move(method)) {}
  std::string describe() const override { return method_ == "smear" ? method_ : method_ + ", " + topKText(); }
  at::Tensor scores(const at::Tensor& features) const override {
    return at::addmm(bias_, layerNorm(features), weight_.t());
  }

private:
  at::Tensor weight_, bias_;
  std::string method_;
};

} // namespace

std::unique_ptr<InputLevelRouter> makeNearestInputRouter(at::Tensor prototypes, int topK,
                                                         double temperature) {
  if (prototypes.dim() != 2)
    throw std::invalid_argument("nearest-embedding prototypes must be [adapters, d]");
  return std::make_unique<NearestRouter>(prototypes.to(at::kFloat), topK, temperature);
}

std::unique_ptr<InputLevelRouter> makeLinearRouter(at::Tensor weight, at::Tensor bias, int topK,
                                                   double temperature, std::string method) {
  return std::make_unique<LinearRouter>(std::move(weight), std::move(bias), topK, temperature,
                                        std::move(method));
}

std::pair<at::Tensor, at::Tensor> fitLinearRouter(const at::Tensor& features, const at::Tensor& labels,
                                                  std::int64_t classes, int steps, std::uint64_t seed) {
  at::AutoGradMode enableGrad(true); // callers may run under NoGradGuard
  auto generator = at::detail::createCPUGenerator(seed);
  const auto x = layerNorm(features.detach());
  auto weight = (at::randn({classes, x.size(1)}, generator) * 0.01).set_requires_grad(true);
  auto bias = at::zeros({classes}).set_requires_grad(true);
  torch::optim::Adam optimizer({weight, bias}, torch::optim::AdamOptions(0.01).weight_decay(1e-4));
  for (int step = 0; step < steps; ++step) {
    optimizer.zero_grad();
    at::cross_entropy_loss(at::addmm(bias, x, weight.t()), labels).backward();
    optimizer.step();
  }
  return {weight.detach(), bias.detach()};
}

} // namespace detail

std::unique_ptr<Router> makeNearestRouter(at::Tensor prototypes, int topK, double temperature) {
  return detail::makeNearestInputRouter(std::move(prototypes), topK, temperature);
}

} // namespace mg::route
