#pragma once
// Greedy decoding of one prompt: the argmax token appended until an end-of-sequence token, the caller's
// predicate (stop strings, checked by the caller on the decoded text) or max_new_tokens.
#include <cstdint>
#include <functional>
#include <vector>

#include "lm/causal_lm.h"
#include "lm/run_options.h"

namespace mg::lm {

struct GenerationOptions {
  std::int64_t maxNewTokens = 32;
  // Tokens that end generation (not included in the result); empty: the model's config eos_token_id(s).
  std::vector<std::int64_t> eosIds;
  // Called with the tokens generated so far after each step; true stops (the tokens are kept).
  std::function<bool(const std::vector<std::int64_t>&)> stop;
  std::vector<float> mix; // adapter weights (K values), empty for all 1
  bool useCache = true;   // false recomputes the whole sequence per step (for tests)
  RunOptions run;         // threads and cancellation (checked between steps); batchSize unused
};

struct Generation {
  enum class Stop { Eos, Predicate, Length };
  std::vector<std::int64_t> tokens; // generated, without the prompt and the end-of-sequence token
  Stop stoppedBy = Stop::Length;
};

// Throws std::invalid_argument for an empty prompt.
Generation generateGreedy(const CausalLm& model, const std::vector<std::int64_t>& prompt,
                          const GenerationOptions& options = {});

} // namespace mg::lm
