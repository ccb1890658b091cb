#pragma once
// What the data-aware merges (docs/spec/merge-methods.md "fisher, regmean") and the Embedding map's fisher
// kind gather from a causal language model on a text task (docs/spec/language-models.md "Fisher information
// and Gram matrices"): its diagonal Fisher over the tokens the task scores, and the Gram matrices of its
// linear modules' inputs.
//
// The Fisher is the mean over the scored tokens of E_{y ~ p(·|ctx)}[(∂ log p(y|ctx)/∂θ)²], estimated with
// sampled tokens: for each sequence and sample, one y_t per scored position t is drawn from the model's own
// p(·|ctx_t) (ctx_t: the text before t) and the sequence's gradient g = Σ_t ∂ log p(y_t|ctx_t)/∂θ
// is squared. The y_t are drawn independently and each score has mean zero, so E[g²] = Σ_t E[g_t²]: one
// backward pass per sequence and sample gives an unbiased estimate of the per-token sum (the cross terms
// vanish in expectation), where squaring the gradient of a whole batch would not.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lm_eval/token_scorer.h"
#include "weights/cancel.h"

namespace at {
class Tensor;
}
namespace mg::io {
struct TextTask;
}
namespace mg::lm {
class CausalLm;
}
namespace mg::text {
class Tokenizer;
}

namespace mg::lm_eval {

// Scored tokens per example at most (the first ones), bounding the cost of one example's backward pass.
inline constexpr std::int64_t kStatisticsTokens = 256;

// The sequences of the task's first `examples` (0: all), scoring: perplexity: the text's tokens (its first
// `maxScored`) in the rolling windows perplexity is scored with (rollingWindows); multiple_choice: the
// correct choice's tokens after the context; generation: the answer's tokens after the prompt (pairs split as
// the harness splits them, encodePair; at most the first `maxScored` scored tokens, the sequence then cut
// from the left to `maxLength` + 1 tokens). Throws std::runtime_error naming the task and line of an example
// with no token to score.
std::vector<TokenScorer::Request> statisticsRequests(const io::TextTask& task,
                                                     const text::Tokenizer& tokenizer, std::int64_t examples,
                                                     std::int64_t maxLength,
                                                     std::int64_t maxScored = kStatisticsTokens);

// The context window statisticsRequests cuts to: config.json's max_position_embeddings, else 2048.
std::int64_t statisticsWindow(const lm::CausalLm& model);

// The token drawn for scored position `position` (0-based among a sequence's scored tokens) of sequence
// `example` (index into the requests), sample `sample`, from probabilities `p` [vocab]: the inverse CDF at
// u = (splitmix64(((seed·P + sample)·P + example)·P + position) >> 11) · 2⁻⁵³ (P = 1000003, arithmetic mod
// 2⁶⁴), scaled to the CDF's total: the smallest y with Σ_{i≤y} p_i > u. Deterministic, so that any
// implementation of the definition draws the same tokens.
std::int64_t sampledToken(const double* p, std::int64_t vocab, std::uint64_t seed, std::uint64_t sample,
                          std::uint64_t example, std::uint64_t position);

struct LmFisherOptions {
  int samples = 1;        // sampled y per scored token (each one backward pass per example)
  std::uint64_t seed = 0; // of the sampled tokens
  // The parameters (checkpoint names) that get a Fisher; all of CausalLm::parameters() when empty. Gradients
  // flow only to these, so a few late ones cost little.
  std::function<bool(const std::string&)> select;
  const engine::CancelToken* cancel = nullptr;
  std::function<void(double fraction)> progress; // per example
};

// The diagonal Fisher of the model's own parameters (under their checkpoint names; adapters loaded unmerged
// count as part of the weights they adapt: the gradient with respect to W equals the one with respect to the
// merged W + s·B·A), float32. Throws std::invalid_argument without requests, engine::Cancelled.
std::map<std::string, at::Tensor> lmParameterFisher(const lm::CausalLm& model,
                                                    const std::vector<TokenScorer::Request>& requests,
                                                    const LmFisherOptions& options = {});

// RegMean's statistics: for each linear module stored [out, in] (q/k/v/o, gate/up/down; lm_head when it is
// not tied to the embeddings), the Gram matrix XᵀX/N of the inputs it reads at every token the model reads
// (each request's tokens but the last, padding excluded), under "<module>.weight", float32. Throws
// std::invalid_argument for GPT-2 (its Conv1D modules store [in, out], which RegMean does not take) or
// without requests, engine::Cancelled.
std::map<std::string, at::Tensor> lmInputGrams(const lm::CausalLm& model,
                                               const std::vector<TokenScorer::Request>& requests,
                                               const engine::CancelToken* cancel = nullptr);

// Task2Vec of a text task with a language model as the probe: the Fisher (lmParameterFisher) of the last
// decoder block's parameters and the LM head's matrix, each matrix reduced to the mean over its input
// dimension (one value per output unit; vectors kept whole), concatenated in checkpoint order.
std::vector<float> lmFisherEmbedding(const lm::CausalLm& model,
                                     const std::vector<TokenScorer::Request>& requests,
                                     const LmFisherOptions& options = {});

} // namespace mg::lm_eval
