#include "train/lm_losses.h"

#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

#include "lm/causal_lm.h"

namespace mg::train {

namespace {

// log(1 − p) is capped here: log p ≤ log(1 − 1e-6).
const double kLogAlmostOne = std::log1p(-1e-6);

// The batch's sequences as one padded pass: which sequences run, and where each one's scored tokens sit in
// the flat list of scored positions.
struct LossPass {
  std::vector<std::vector<std::int64_t>> runOf; // per example, per sequence: its run, or -1 when left out
  std::vector<std::int64_t> offset, count;      // per run: its scored tokens in the flat list
  at::Tensor ids, positions, targets;           // [runs, T]; the flat positions and their next tokens [M]
};

LossPass lossPass(const std::vector<const LmTrainingExample*>& batch, bool allChoices) {
  LossPass pass;
  std::vector<const lm_eval::TokenScorer::Request*> runs;
  for (const auto* example : batch) {
    auto& runOf = pass.runOf.emplace_back();
    for (std::size_t s = 0; s < example->sequences.size(); ++s) {
      const bool needed = allChoices || example->label < 0 || std::int64_t(s) == example->label;
      runOf.push_back(needed ? std::int64_t(runs.size()) : -1);
      if (needed) runs.push_back(&example->sequences[s]);
    }
  }
  std::int64_t longest = 1;
  for (const auto* run : runs)
    longest = std::max<std::int64_t>(longest, std::int64_t(run->tokens.size()) - 1);
  pass.ids = at::zeros({std::int64_t(runs.size()), longest}, at::kLong);
  auto ids = pass.ids.accessor<std::int64_t, 2>();
  std::vector<std::int64_t> positions, targets;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const auto& tokens = runs[r]->tokens;
    // The model reads every token but the last; position t predicts token t + 1.
    for (std::size_t t = 0; t + 1 < tokens.size(); ++t)
      ids[std::int64_t(r)][std::int64_t(t)] = tokens[t];
    pass.offset.push_back(std::int64_t(positions.size()));
    for (std::size_t t = runs[r]->from; t < tokens.size(); ++t) {
      positions.push_back(std::int64_t(r) * longest + std::int64_t(t) - 1);
      targets.push_back(tokens[t]);
    }
    pass.count.push_back(std::int64_t(positions.size()) - pass.offset.back());
  }
  pass.positions = at::tensor(positions, at::kLong);
  pass.targets = at::tensor(targets, at::kLong);
  return pass;
}

// The log-probability of each scored token of the pass [M], one forward.
at::Tensor scoredLogProbs(const lm::CausalLm& model, const LossPass& pass) {
  const auto hidden = model.hiddenStates(pass.ids);
  // Logits only where a token is scored: the vocabulary-wide rows are the largest activations.
  const auto scoredHidden = hidden.reshape({-1, hidden.size(-1)}).index_select(0, pass.positions);
  return at::log_softmax(model.logits(scoredHidden), -1).gather(1, pass.targets.unsqueeze(1)).squeeze(1);
}

} // namespace

at::Tensor lmTargetLogProbs(const lm::CausalLm& model, const std::vector<const LmTrainingExample*>& batch) {
  if (batch.empty()) throw std::invalid_argument("a loss needs at least one example");
  return scoredLogProbs(model, lossPass(batch, false));
}

at::Tensor LmLossTerms::total() const {
  auto sum = crossEntropy;
  if (unlikelihood.defined()) sum = sum + unlikelihood;
  if (lengthNormalized.defined()) sum = sum + lengthNormalized;
  return sum;
}

bool needsChoices(LmLoss loss) {
  return loss != LmLoss::CrossEntropy;
}

LmLossTerms lmLossTerms(const lm::CausalLm& model, const std::vector<const LmTrainingExample*>& batch,
                        LmLoss loss) {
  if (batch.empty()) throw std::invalid_argument("a loss needs at least one example");
  const bool choices = needsChoices(loss);
  for (const auto* example : batch)
    if (choices && example->label < 0)
      throw std::invalid_argument("the unlikelihood and length-normalized losses need multiple-choice "
                                  "examples (with a correct choice)");
  const auto pass = lossPass(batch, choices);
  const auto logp = scoredLogProbs(model, pass);
  const auto tokensOf = [&](std::int64_t run) { return logp.narrow(0, pass.offset[run], pass.count[run]); };

  const bool unlikelihood = loss == LmLoss::Unlikelihood || loss == LmLoss::TFew;
  const bool lengthNormalized = loss == LmLoss::LengthNormalized || loss == LmLoss::TFew;
  std::vector<at::Tensor> ce, ul, ln;
  for (std::size_t e = 0; e < batch.size(); ++e) {
    const auto& runOf = pass.runOf[e];
    const auto label = batch[e]->label;
    if (label >= 0) {
      ce.push_back(-tokensOf(runOf[std::size_t(label)]).mean());
    } else {
      std::vector<at::Tensor> all;
      for (const auto run : runOf)
        all.push_back(tokensOf(run));
      ce.push_back(-at::cat(all).mean());
    }
    if (unlikelihood) {
      std::vector<at::Tensor> wrong;
      for (std::size_t s = 0; s < runOf.size(); ++s)
        if (std::int64_t(s) != label) wrong.push_back(tokensOf(runOf[s]));
      // A single choice has no wrong one: nothing to unlearn.
      ul.push_back(wrong.empty() ? logp.sum() * 0.0
                                 : -at::log(-at::expm1(at::cat(wrong).clamp_max(kLogAlmostOne))).mean());
    }
    if (lengthNormalized) {
      std::vector<at::Tensor> beta;
      for (const auto run : runOf)
        beta.push_back(tokensOf(run).mean());
      ln.push_back(-at::log_softmax(at::stack(beta), 0)[label]);
    }
  }
  LmLossTerms terms;
  terms.crossEntropy = at::stack(ce).mean();
  if (unlikelihood) terms.unlikelihood = at::stack(ul).mean();
  if (lengthNormalized) terms.lengthNormalized = at::stack(ln).mean();
  return terms;
}

} // namespace mg::train
