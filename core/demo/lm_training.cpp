#include "demo/lm_training.h"

#include <ATen/ATen.h>
#include <torch/optim/adamw.h>

#include <cmath>

#include "lm/causal_lm.h"
#include "lm/run_options.h"
#include "tensor/intra_op_threads.h"
#include "text/tokenizer.h"

namespace mg::demo {

namespace {

constexpr std::int64_t kIgnored = -100; // targets the loss skips (prompt tokens, padding)

struct TokenBatch {
  at::Tensor ids;     // [B, T] int64, right-padded
  at::Tensor targets; // [B, T - 1]: the next token where it is an answer token, else kIgnored
};

TokenBatch tokenBatch(const text::Tokenizer& tokenizer, const PromptAnswerSource& next, std::int64_t size) {
  std::vector<std::vector<std::int32_t>> sequences;
  std::vector<std::size_t> promptLengths;
  std::size_t longest = 0;
  for (std::int64_t i = 0; i < size; ++i) {
    const auto [prompt, answer] = next();
    // The pre-tokenizer cuts before the answer's leading space, so the prompt's tokens and the answer's are
    // those of the whole text, as the evaluation tokenizes them.
    auto ids = tokenizer.encode(prompt, false);
    promptLengths.push_back(ids.size());
    const auto answerIds = tokenizer.encode(answer + "\n", false);
    ids.insert(ids.end(), answerIds.begin(), answerIds.end());
    longest = std::max(longest, ids.size());
    sequences.push_back(std::move(ids));
  }
  const auto T = static_cast<std::int64_t>(longest);
  auto ids = at::zeros({size, T}, at::kLong);
  auto targets = at::full({size, T - 1}, kIgnored, at::kLong);
  auto idsOf = ids.accessor<std::int64_t, 2>();
  auto targetsOf = targets.accessor<std::int64_t, 2>();
  for (std::int64_t b = 0; b < size; ++b) {
    const auto& sequence = sequences[b];
    for (std::size_t t = 0; t < sequence.size(); ++t) {
      idsOf[b][t] = sequence[t];
      if (t >= promptLengths[b]) targetsOf[b][t - 1] = sequence[t];
    }
  }
  return {ids, targets};
}

// Scales the gradients so their joint norm is at most `limit`.
void clipGradients(const std::vector<at::Tensor>& tensors, double limit) {
  double squared = 0;
  for (const auto& t : tensors)
    if (t.grad().defined()) squared += t.grad().pow(2).sum().item<double>();
  const double norm = std::sqrt(squared);
  if (norm <= limit) return;
  for (const auto& t : tensors)
    if (t.grad().defined()) t.grad().mul_(limit / norm);
}

} // namespace

double trainOnAnswers(const lm::CausalLm& model, const std::vector<at::Tensor>& trainable,
                      const text::Tokenizer& tokenizer, const PromptAnswerSource& next,
                      const LmTrainOptions& options) {
  // As the model's inference passes choose (lm/run_options.h): one thread for a small model.
  const tensor::ScopedIntraOpThreads threads(lm::passThreads({}, model.config()));
  for (auto tensor : trainable)
    tensor.requires_grad_(true);
  torch::optim::AdamW optimizer(
      trainable,
      torch::optim::AdamWOptions(options.learningRate).weight_decay(options.weightDecay).betas({0.9, 0.98}));
  const std::int64_t tail = std::max<std::int64_t>(1, options.steps / 10);
  double tailLoss = 0;
  for (std::int64_t step = 0; step < options.steps; ++step) {
    if (options.cancel) options.cancel->throwIfCancelled();
    // Warm-up, then a cosine from the full rate down to a tenth of it.
    const double progress = double(step) / double(std::max<std::int64_t>(1, options.steps - 1));
    const double rate =
        step < options.warmupSteps
            ? options.learningRate * double(step + 1) / double(options.warmupSteps)
            : options.learningRate * (0.1 + 0.45 * (1.0 + std::cos(3.14159265358979 * progress)));
    for (auto& group : optimizer.param_groups())
      static_cast<torch::optim::AdamWOptions&>(group.options()).lr(rate);
    const auto batch = tokenBatch(tokenizer, next, options.batchSize);
    optimizer.zero_grad();
    const auto logits = model.forward(batch.ids);
    const auto T = batch.ids.size(1);
    const auto loss = at::cross_entropy_loss(logits.slice(1, 0, T - 1).reshape({-1, logits.size(-1)}),
                                             batch.targets.reshape({-1}), {}, at::Reduction::Mean, kIgnored);
    loss.backward();
    clipGradients(trainable, 1.0);
    optimizer.step();
    if (step >= options.steps - tail) tailLoss += loss.item<double>();
    if (options.progress && (step % 10 == 0 || step + 1 == options.steps))
      options.progress(double(step + 1) / double(options.steps));
  }
  for (auto tensor : trainable) {
    tensor.requires_grad_(false);
    tensor.mutable_grad() = at::Tensor();
  }
  return tailLoss / double(tail);
}

} // namespace mg::demo
