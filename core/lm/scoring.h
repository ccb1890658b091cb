#pragma once
// Teacher-forced scoring: the log-likelihood a model gives a sequence's continuation, the quantity behind
// perplexity and lm-evaluation-harness's multiple-choice accuracies.
#include <cstdint>
#include <vector>

#include "lm/causal_lm.h"
#include "lm/run_options.h"

namespace mg::lm {

struct ScoringRequest {
  std::vector<std::int64_t> tokens;  // context followed by the continuation
  std::size_t continuationStart = 1; // index of the first scored token (>= 1: token 0 has no prediction)
  std::vector<float> mix;            // this sequence's adapter weights (K values), empty for all 1
};

struct SequenceScore {
  double logLikelihood = 0; // Σ over scored tokens of log p(token | tokens before it), natural log
  std::int64_t tokens = 0;  // scored tokens
  bool greedy = true;       // every scored token was the model's argmax
};

// Scores every request, in batches of similar lengths (right-padded), in the requests' order. Throws
// std::invalid_argument for an empty continuation or a start of 0.
std::vector<SequenceScore> scoreContinuations(const CausalLm& model,
                                              const std::vector<ScoringRequest>& requests,
                                              const RunOptions& options = {});

} // namespace mg::lm
