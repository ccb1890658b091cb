// Spec, "wudi"; the paper's code is github.com/nathanielyvo/WUDI-Merging (torch.optim.Adam on the same loss
// through autograd). Here the loss's gradient is written out: it is linear in τ, so its constant parts are
// formed once per matrix and a step costs one matrix product instead of autograd's 4T.
#include "ops/wudi_merge.h"

#include <ATen/ATen.h>

#include <cmath>

#include "ops/singular_vectors.h"

namespace mg::ops {

namespace {

// torch.optim.Adam's defaults, which the paper's code uses.
constexpr double kBeta1 = 0.9;
constexpr double kBeta2 = 0.999;
constexpr double kEpsilon = 1e-8;

// ∇L(τ) = 2·Σ_i (τ − τ_i)·τ_iᵀτ_i / ‖τ_i‖². In the n × n form, G = Σ_i τ_iᵀτ_i/‖τ_i‖² and
// C = Σ_i τ_i·τ_iᵀτ_i/‖τ_i‖² give 2·(τ·G − C): m·n² per step. In the per-task form each term is
// ((τ − τ_i)·τ_iᵀ)·τ_i: 2T·m²·n per step, cheaper for wide matrices with few tasks.
class Gradient {
public:
  explicit Gradient(const std::vector<at::Tensor>& matrices) {
    for (const auto& t : matrices) {
      const double squaredNorm = t.pow(2).sum().item<double>();
      if (squaredNorm > 0.0) { // a zero task vector has no inputs to interfere with: no term
        tasks_.push_back(t);
        scales_.push_back(2.0 / squaredNorm);
      }
    }
    if (tasks_.empty()) return;
    const auto m = tasks_.front().size(0), n = tasks_.front().size(1);
    const auto count = static_cast<std::int64_t>(tasks_.size());
    perTask_ = 2 * count * m * m * n < m * n * n;
    if (perTask_) return;
    gram_ = at::zeros({n, n}, at::kFloat);
    constant_ = at::zeros({m, n}, at::kFloat);
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
      const auto g = at::matmul(tasks_[i].t(), tasks_[i]) * scales_[i];
      gram_.add_(g);
      constant_.add_(at::matmul(tasks_[i], g));
    }
  }

  bool zero() const { return tasks_.empty(); }

  at::Tensor of(const at::Tensor& tau) const {
    if (!perTask_) return at::matmul(tau, gram_) - constant_;
    auto sum = at::zeros_like(tau);
    for (std::size_t i = 0; i < tasks_.size(); ++i)
      sum.add_(at::matmul(at::matmul(tau - tasks_[i], tasks_[i].t()), tasks_[i]), scales_[i]);
    return sum;
  }

private:
  std::vector<at::Tensor> tasks_;
  std::vector<double> scales_;
  bool perTask_ = false;
  at::Tensor gram_, constant_;
};

// `steps` steps of Adam (torch.optim.Adam's update, amsgrad off, no weight decay) from `start`.
at::Tensor adam(at::Tensor tau, const Gradient& gradient, int steps, double learningRate) {
  auto first = at::zeros_like(tau);
  auto second = at::zeros_like(tau);
  for (int t = 1; t <= steps; ++t) {
    const auto g = gradient.of(tau);
    first.mul_(kBeta1).add_(g, 1.0 - kBeta1);
    second.mul_(kBeta2).addcmul_(g, g, 1.0 - kBeta2);
    const double correction1 = 1.0 - std::pow(kBeta1, t);
    const double correction2 = 1.0 - std::pow(kBeta2, t);
    const auto denominator = (second.sqrt() / std::sqrt(correction2)).add_(kEpsilon);
    tau.addcdiv_(first, denominator, -learningRate / correction1);
  }
  return tau;
}

} // namespace

at::Tensor wudiMerge(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                     const std::vector<double>& weights, double lambda, int steps, double learningRate) {
  const auto taskVectors = svd::weightedTaskVectors(inputs, base, weights);
  const auto sum = svd::sumOf(taskVectors);
  if (!svd::mergedAsMatrix(base) || steps == 0) return svd::baseplusScaled(base, sum, lambda);
  std::vector<at::Tensor> matrices;
  for (const auto& t : taskVectors)
    matrices.push_back(svd::asMatrix(t));
  const Gradient gradient(matrices);
  if (gradient.zero()) return svd::baseplusScaled(base, sum, lambda);
  return svd::baseplusScaled(base, adam(svd::asMatrix(sum), gradient, steps, learningRate), lambda);
}

double wudiObjective(const at::Tensor& tau, const std::vector<at::Tensor>& taskVectors) {
  const auto t = svd::asMatrix(tau).to(at::kDouble);
  double total = 0.0;
  for (const auto& taskVector : taskVectors) {
    const auto ti = svd::asMatrix(taskVector).to(at::kDouble);
    const double squaredNorm = ti.pow(2).sum().item<double>();
    if (squaredNorm > 0.0) total += at::matmul(t - ti, ti.t()).pow(2).sum().item<double>() / squaredNorm;
  }
  return total;
}

} // namespace mg::ops
