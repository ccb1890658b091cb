#include "train/training_loop.h"

#include <ATen/ATen.h>

#include <chrono>
#include <cmath>
#include <random>

#include "train/adamw.h"

namespace mg::train {

namespace {

// Example indices in seeded epochs: each epoch a fresh permutation, drawn as the batches need them.
class EpochOrder {
public:
  EpochOrder(std::int64_t examples, std::uint64_t seed) : examples_(examples), rng_(seed) {}
  std::vector<std::int64_t> next(std::int64_t count) {
    std::vector<std::int64_t> batch;
    while (std::int64_t(batch.size()) < count) {
      if (position_ == order_.size()) shuffle();
      batch.push_back(order_[position_++]);
    }
    return batch;
  }

private:
  void shuffle() {
    order_.resize(std::size_t(examples_));
    for (std::int64_t i = 0; i < examples_; ++i)
      order_[std::size_t(i)] = i;
    for (std::size_t i = order_.size(); i > 1; --i)
      std::swap(order_[i - 1], order_[rng_() % i]);
    position_ = 0;
  }
  std::int64_t examples_;
  std::mt19937_64 rng_;
  std::vector<std::int64_t> order_;
  std::size_t position_ = 0;
};

} // namespace

std::int64_t optimizerSteps(const FineTuneOptions& options, std::int64_t examples) {
  if (options.epochs <= 0) return options.steps;
  const auto perStep = options.batchSize * options.gradientAccumulation;
  return options.epochs * std::max<std::int64_t>(1, (examples + perStep - 1) / perStep);
}

FineTuneResult runTrainingLoop(const TrainingLoop& loop, const FineTuneOptions& options,
                               const TrainingEvents& events) {
  const auto started = std::chrono::steady_clock::now();
  const auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  FineTuneResult result;
  const auto total = optimizerSteps(options, loop.examples);
  for (auto p : loop.parameters)
    p.requires_grad_(true);
  AdamW optimizer(loop.parameters, options.weightDecay);
  EpochOrder order(loop.examples, options.seed ^ 0x5eedf00dull);
  // Micro-batches never hold more examples than there are.
  const auto micro = std::min(options.batchSize, loop.examples);

  std::vector<at::Tensor> best;
  const auto keepBest = [&] {
    at::NoGradGuard noGrad;
    best.clear();
    for (const auto& p : loop.parameters)
      best.push_back(p.detach().clone());
  };
  int withoutBetter = 0;
  double lossSum = 0;
  std::int64_t lossSteps = 0;
  const auto point = [&](std::int64_t step) {
    CurvePoint p;
    p.step = step;
    p.trainLoss = lossSteps > 0 ? lossSum / double(lossSteps) : std::nan("");
    lossSum = 0;
    lossSteps = 0;
    if (loop.validate) {
      at::NoGradGuard noGrad;
      p.validation = loop.validate();
      if (best.empty() || p.validation > result.bestValidation) {
        result.bestValidation = p.validation;
        result.bestStep = step;
        withoutBetter = 0;
        keepBest();
      } else {
        ++withoutBetter;
      }
    }
    p.seconds = seconds();
    result.curve.push_back(p);
    if (events.point) events.point(p);
  };
  const auto cancelled = [&] { return events.cancel && events.cancel->cancelled(); };

  if (loop.validate) point(0);
  std::int64_t step = 0;
  while (step < total) {
    if (cancelled()) {
      result.cancelled = true;
      break;
    }
    optimizer.zeroGradients();
    double stepLoss = 0;
    for (std::int64_t m = 0; m < options.gradientAccumulation; ++m) {
      const auto loss = loop.loss(order.next(micro));
      (loss / double(options.gradientAccumulation)).backward();
      stepLoss += loss.item<double>() / double(options.gradientAccumulation);
    }
    clipGradientNorm(loop.parameters, 1.0);
    optimizer.step(
        scheduledLearningRate(options.schedule, options.learningRate, options.warmupSteps, step, total));
    ++step;
    lossSum += stepLoss;
    ++lossSteps;
    if (events.progress)
      events.progress(double(step) / double(total),
                      "step " + std::to_string(step) + " of " + std::to_string(total));
    if (step % options.evaluateEvery == 0 || step == total) {
      point(step);
      if (options.patience > 0 && withoutBetter >= options.patience) {
        result.stoppedEarly = step < total;
        break;
      }
    }
  }
  result.stepsRun = step;
  if (lossSteps > 0 && (result.cancelled || result.curve.empty() || result.curve.back().step != step)) {
    // The last steps since a point (a cancel between evaluations) still give their loss.
    CurvePoint p;
    p.step = step;
    p.trainLoss = lossSum / double(lossSteps);
    p.seconds = seconds();
    result.curve.push_back(p);
    if (events.point) events.point(p);
  }
  optimizer.zeroGradients();
  at::NoGradGuard noGrad;
  for (std::size_t i = 0; i < loop.parameters.size(); ++i) {
    auto p = loop.parameters[i];
    p.requires_grad_(false);
    if (!best.empty()) p.copy_(best[i]);
  }
  if (best.empty()) result.bestStep = step;
  result.seconds = seconds();
  return result;
}

} // namespace mg::train
