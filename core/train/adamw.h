#pragma once
// The optimizer every fine-tune (and the demo zoos' training) steps with: AdamW (Loshchilov & Hutter 2019)
// with decoupled weight decay, as torch.optim.AdamW computes it, and the learning-rate schedule: a linear
// warm-up, then constant, linear or cosine decay.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "train/fine_tune_options.h"

namespace mg::train {

class AdamW {
public:
  // β = (0.9, 0.999) and ε = 1e-8 unless given.
  AdamW(std::vector<at::Tensor> parameters, double weightDecay, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8);
  // One update of every parameter that has a gradient, without recording autograd.
  void step(double learningRate);
  void zeroGradients();
  const std::vector<at::Tensor>& parameters() const { return parameters_; }

private:
  std::vector<at::Tensor> parameters_, first_, second_;
  double weightDecay_, beta1_, beta2_, epsilon_;
  std::int64_t steps_ = 0;
};

// Scales the gradients so their joint L2 norm is at most `limit`; returns the norm before.
double clipGradientNorm(const std::vector<at::Tensor>& parameters, double limit);

// The learning rate of optimizer step `step` (0-based) of `total`: rate·(step + 1)/warmup during the
// warm-up, then constant, or decaying linearly or along a cosine from `rate` to floor·rate at the last step.
double scheduledLearningRate(Schedule schedule, double rate, std::int64_t warmupSteps, std::int64_t step,
                             std::int64_t total, double floor = 0);

} // namespace mg::train
