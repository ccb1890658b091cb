#include "train/adamw.h"

#include <ATen/ATen.h>

#include <cmath>

namespace mg::train {

AdamW::AdamW(std::vector<at::Tensor> parameters, double weightDecay, double beta1, double beta2,
             double epsilon)
    : parameters_(std::move(parameters)), weightDecay_(weightDecay), beta1_(beta1), beta2_(beta2),
      epsilon_(epsilon) {
  for (const auto& p : parameters_) {
    first_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous));
    second_.push_back(at::zeros_like(p, at::MemoryFormat::Contiguous));
  }
}

void AdamW::step(double learningRate) {
  at::NoGradGuard noGrad;
  ++steps_;
  const double correction1 = 1.0 - std::pow(beta1_, double(steps_));
  const double correction2 = 1.0 - std::pow(beta2_, double(steps_));
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    auto& p = parameters_[i];
    const auto& g = p.grad();
    if (!g.defined()) continue;
    if (weightDecay_ != 0) p.mul_(1.0 - learningRate * weightDecay_);
    first_[i].mul_(beta1_).add_(g, 1.0 - beta1_);
    second_[i].mul_(beta2_).addcmul_(g, g, 1.0 - beta2_);
    const auto denominator = (second_[i].sqrt() / std::sqrt(correction2)).add_(epsilon_);
    p.addcdiv_(first_[i], denominator, -learningRate / correction1);
  }
}

void AdamW::zeroGradients() {
  for (auto& p : parameters_)
    if (p.grad().defined()) p.mutable_grad() = at::Tensor();
}

double clipGradientNorm(const std::vector<at::Tensor>& parameters, double limit) {
  at::NoGradGuard noGrad;
  double squared = 0;
  for (const auto& p : parameters)
    if (p.grad().defined()) squared += p.grad().pow(2).sum().item<double>();
  const double norm = std::sqrt(squared);
  if (norm > limit)
    for (const auto& p : parameters)
      if (p.grad().defined()) p.grad().mul_(limit / norm);
  return norm;
}

double scheduledLearningRate(Schedule schedule, double rate, std::int64_t warmupSteps, std::int64_t step,
                             std::int64_t total, double floor) {
  if (step < warmupSteps) return rate * double(step + 1) / double(warmupSteps);
  const double progress =
      double(step - warmupSteps) / double(std::max<std::int64_t>(1, total - 1 - warmupSteps));
  const double p = std::min(1.0, progress);
  switch (schedule) {
  case Schedule::Constant: return rate;
  case Schedule::Linear: return rate * (floor + (1.0 - floor) * (1.0 - p));
  case Schedule::Cosine: return rate * (floor + (1.0 - floor) * 0.5 * (1.0 + std::cos(M_PI * p)));
  }
  return rate;
}

} // namespace mg::train
