#pragma once
// What evaluating text tasks needs of a causal language model, on token ids: teacher-forced log-likelihoods
// and greedy generation. lm_eval/causal_lm_scorer.h adapts the LibTorch models (core/lm) to it; tests use
// small models of their own.
#include <cstdint>
#include <functional>
#include <vector>

namespace mg::lm_eval {

class TokenScorer {
public:
  virtual ~TokenScorer() = default;

  // The log-probability of tokens[from..] given tokens[..from), the model reading tokens[0..size-1) (the last
  // token is only predicted). 1 <= from < tokens.size() <= maxLength() + 1.
  struct Request {
    std::vector<std::int32_t> tokens;
    std::size_t from = 1;
  };
  struct Result {
    double logLikelihood = 0; // summed over the scored tokens (natural log)
    bool greedy = false;      // every scored token was the model's argmax
  };
  // One result per request, in order (the scorer batches as it likes). Throws engine::Cancelled.
  virtual std::vector<Result> score(const std::vector<Request>& requests) = 0;

  // Greedy continuation of `prompt`, at most `maxNewTokens` tokens; stops early after a token when `stop`
  // returns true for the tokens generated so far (end of sequence is the scorer's own concern).
  virtual std::vector<std::int32_t>
  generate(const std::vector<std::int32_t>& prompt, std::int64_t maxNewTokens,
           const std::function<bool(const std::vector<std::int32_t>&)>& stop) = 0;

  // The longest input the model reads at once (its context window).
  virtual std::int64_t maxLength() const = 0;
};

} // namespace mg::lm_eval
