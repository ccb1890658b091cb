#pragma once
// Training a causal language model (lm::CausalLm) on prompt/answer pairs, as the text zoo's base and its LoRA
// specialists learn their skills, with the fine-tunes' pieces (core/train): AdamW on the tensors given (the
// model's own for pre-training, an adapter's factors for a specialist), next-token cross-entropy on the
// answer's tokens and the newline that ends it (the prompt's letters are random, so predicting them teaches
// nothing), a linear warm-up then a cosine decay of the learning rate to a tenth, gradients clipped to
// norm 1.
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "weights/cancel.h"

namespace mg::lm {
class CausalLm;
}
namespace mg::text {
class Tokenizer;
}

namespace mg::demo {

struct LmTrainOptions {
  std::int64_t steps = 100;
  std::int64_t batchSize = 32;
  double learningRate = 1e-3;
  double weightDecay = 0.0;
  std::int64_t warmupSteps = 0;
  const engine::CancelToken* cancel = nullptr; // checked every step; throws engine::Cancelled
  std::function<void(double fraction)> progress;
};

// The next training pair: a prompt and its answer (without the newline, which is added).
using PromptAnswerSource = std::function<std::pair<std::string, std::string>()>;

// Trains `trainable` (tensors of `model`, which the forward reads) on batches drawn from `next`; returns the
// mean loss per answer token over the last tenth of the steps. Leaves
// requires_grad off again.
double trainOnAnswers(const lm::CausalLm& model, const std::vector<at::Tensor>& trainable,
                      const text::Tokenizer& tokenizer, const PromptAnswerSource& next,
                      const LmTrainOptions& options);

} // namespace mg::demo
