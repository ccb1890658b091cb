// Arrow routing (Ostapenko et al. 2024, "Towards modular LLMs by building and reusing a library of LoRAs"):
// no data, the adapters themselves say which inputs they act on. A LoRA B·A changes an input h the most
// along the top right singular vector v of B·A, so |h·v| scores how much a specialist's update engages h.
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <stdexcept>

#include "route/adapter_library.h"

#include <ATen/ATen.h>
#include "route/routers_detail.h"

namespace mg::route {

at::Tensor arrowPrototype(const at::Tensor& a, const at::Tensor& b, std::uint64_t seed, int maxIterations) {
  if (a.dim() != 2 || b.dim() != 2 || b.size(1) != a.size(0))
    throw std::invalid_argument("LoRA factors must be A [r, in] and B [out, r]");
  at::NoGradGuard noGrad;
  // Double precision: the iteration converges at the rate (σ2/σ1)², which needs many steps for close
  // singular values, and float32 rounding would stop it short.
  const auto A = a.to(at::kDouble);
  const auto gram = b.to(at::kDouble).t().mm(b.to(at::kDouble)); // BᵀB [r, r]
  auto generator = at::detail::createCPUGenerator(seed);
  at::Tensor v = at::randn({A.size(1)}, generator, at::kDouble);
  v = v / v.norm();
  for (int iteration = 0; iteration < maxIterations; ++iteration) {
    at::Tensor next = A.t().mv(gram.mv(A.mv(v))); // Aᵀ(BᵀB)A·v = (B·A)ᵀ(B·A)·v without forming B·A
    const double norm = next.norm().item<double>();
    if (!(norm > 0)) return at::zeros({A.size(1)}); // B·A = 0: the adapter changes nothing
    next = next / norm;
    const double change = (next - v).norm().item<double>();
    v = next;
    if (change < 1e-12) break;
  }
  return v.to(at::kFloat);
}

namespace detail {

namespace {

class ArrowRouter final : public Router {
public:
  ArrowRouter(const AdapterLibrary& library, const RouterOptions& options)
      : topK_(options.topK), temperature_(options.temperature), perLayer_(options.arrowPerLayer) {
    for (std::size_t j = 0; j < library.size(); ++j)
      if (library.isIa3(j))
        throw std::runtime_error(
            library.specialists()[j].folder +
            ": Arrow routes by the singular vectors of LoRA factors; an IA³ adapter has none");
    const std::size_t linears = library.linearCount();
    prototypes_.resize(linears);
    adapts_.resize(linears);
    for (std::size_t linear = 0; linear < linears; ++linear) {
      std::vector<at::Tensor> rows;
      std::vector<bool> mask;
      std::int64_t in = 0;
      for (std::size_t j = 0; j < library.size(); ++j)
        if (library.adapts(j, linear)) in = library.loraA(j, linear).size(1);
      if (in == 0) continue; // no specialist adapts this layer
      for (std::size_t j = 0; j < library.size(); ++j) {
        mask.push_back(library.adapts(j, linear));
        rows.push_back(
            mask.back() ? arrowPrototype(library.loraA(j, linear), library.loraB(j, linear), options.seed + j)
                        : at::zeros({in}));
      }
      prototypes_[linear] = at::stack(rows); // [J, in]
      adapts_[linear] =
          at::tensor(at::ArrayRef<std::uint8_t>(std::vector<std::uint8_t>(mask.begin(), mask.end())))
              .to(at::kBool);
    }
  }

  std::string describe() const override {
    return std::string("arrow, ") + (topK_ == 0 ? "all" : "top-" + std::to_string(topK_)) +
           (perLayer_ ? "" : ", summed");
  }

  at::Tensor run(const AdapterLibrary& library, const at::Tensor& inputs, const std::string& task,
                 at::Tensor* weights) const override {
    at::NoGradGuard noGrad;
    if (!perLayer_) {
      // One decision per input: the layers' scores summed, each layer seeing the base model's activations.
      std::vector<at::Tensor> layerInputs;
      library.forward(inputs, task, nullptr, &layerInputs);
      at::Tensor total;
      for (std::size_t linear = 0; linear < prototypes_.size(); ++linear) {
        if (!prototypes_[linear].defined()) continue;
        const auto s = scores(linear, layerInputs[linear]).clamp_min(0); // -inf (not adapted) counts 0
        total = total.defined() ? total + s : s;
      }
      const auto mix = topKSoftmax(total, topK_, temperature_);
      if (weights) *weights = mix;
      return library.mixedForward(inputs, task, mix);
    }
    // Per layer, as in the paper: each adapted layer routes its own input (the routed model's activations).
    at::Tensor sum;
    int layers = 0;
    const auto logits = library.forward(inputs, task, [&](std::size_t linear, const at::Tensor& h) {
      if (linear >= prototypes_.size() || !prototypes_[linear].defined()) return at::Tensor();
      const auto mix = topKSoftmax(scores(linear, h), topK_, temperature_);
      sum = sum.defined() ? sum + mix : mix;
      ++layers;
      return mix;
    });
    if (weights)
      *weights = layers ? sum / double(layers)
                        : at::zeros({inputs.size(0), static_cast<std::int64_t>(library.size())});
    return logits;
  }

private:
  // |h·v| per specialist [B, J]; -inf for the specialists that do not adapt this layer.
  at::Tensor scores(std::size_t linear, const at::Tensor& h) const {
    const auto s = at::matmul(h, prototypes_[linear].t()).abs();
    return s.masked_fill(adapts_[linear].logical_not().unsqueeze(0),
                         -std::numeric_limits<double>::infinity());
  }

  int topK_;
  double temperature_;
  bool perLayer_;
  std::vector<at::Tensor> prototypes_; // per linear: [J, in], undefined when no specialist adapts it
  std::vector<at::Tensor> adapts_;     // per linear: [J] bool
};

} // namespace

std::unique_ptr<Router> makeArrowRouter(const AdapterLibrary& library, const RouterOptions& options) {
  return std::make_unique<ArrowRouter>(library, options);
}

} // namespace detail

} // namespace mg::route
