#pragma once
// The losses a language model fine-tunes with, per example as Liu et al. 2022 (T-Few, §3.2) define them, and
// averaged over the examples of a batch:
//   cross-entropy      L_LM = −(1/T) Σ_t log p(y_t | x, y_<t) over the target's T tokens (multiple choice:
//                      the correct choice; generation: the answer and its stop; perplexity: the whole text);
//   unlikelihood       L_UL = −Σ_n Σ_t log(1 − p(ŷ⁽ⁿ⁾_t | x, ŷ⁽ⁿ⁾_<t)) / Σ_n T⁽ⁿ⁾ over the N wrong choices'
//                      tokens (p is capped at 1 − 1e-6 so a certain token costs 13.8, not infinity);
//   length-normalized  L_LN = −log softmax(β)_label with β_c = (1/T_c) Σ_t log p(choice c's tokens): the
//                      choices' per-token log-likelihoods as logits of a classifier of the right one.
// LmLoss::Unlikelihood is L_LM + L_UL, LengthNormalized L_LM + L_LN, TFew all three (the paper's sum).
#include <ATen/core/Tensor.h>

#include <vector>

#include "train/fine_tune_options.h"
#include "train/lm_examples.h"

namespace mg::lm {
class CausalLm;
}

namespace mg::train {

struct LmLossTerms {
  at::Tensor crossEntropy;     // always
  at::Tensor unlikelihood;     // when the loss asks for it, else undefined
  at::Tensor lengthNormalized; // likewise
  at::Tensor total() const;    // their sum
};

// Whether `loss` reads the wrong choices (unlikelihood, length-normalized): only multiple-choice examples
// train with it.
bool needsChoices(LmLoss loss);

// One forward of `model` over the batch's sequences (right-padded; the multiple-choice examples' wrong
// choices only when the loss reads them), recording autograd when a tensor the model reads requires grad.
// Throws std::invalid_argument for an example without a label under a loss that needs choices.
LmLossTerms lmLossTerms(const lm::CausalLm& model, const std::vector<const LmTrainingExample*>& batch,
                        LmLoss loss);

// The log-probabilities of the batch's target tokens (multiple choice: the correct choice's), concatenated,
// from one forward: for a loss per token over the whole batch (pre-training, the demo zoos) instead of per
// example.
at::Tensor lmTargetLogProbs(const lm::CausalLm& model, const std::vector<const LmTrainingExample*>& batch);

} // namespace mg::train
