#include "lm_eval/causal_lm_scorer.h"

#include "lm/generation.h"
#include "lm/scoring.h"

namespace mg::lm_eval {

namespace {

// The default window when config.json does not bound the positions (lm-evaluation-harness's default too).
constexpr std::int64_t kDefaultContext = 2048;

} // namespace

CausalLmScorer::CausalLmScorer(const lm::CausalLm& model, lm::RunOptions run, std::vector<float> mix,
                               std::int64_t contextLength)
    : model_(model), run_(run), mix_(std::move(mix)),
      contextLength_(contextLength > 0                 ? contextLength
                     : model.config().maxPositions > 0 ? model.config().maxPositions
                                                       : kDefaultContext) {}

std::vector<TokenScorer::Result> CausalLmScorer::score(const std::vector<Request>& requests) {
  std::vector<lm::ScoringRequest> converted;
  converted.reserve(requests.size());
  for (const auto& request : requests)
    converted.push_back(
        {std::vector<std::int64_t>(request.tokens.begin(), request.tokens.end()), request.from, mix_});
  std::vector<Result> results;
  for (const auto& score : lm::scoreContinuations(model_, converted, run_))
    results.push_back({score.logLikelihood, score.greedy});
  return results;
}

std::vector<std::int32_t>
CausalLmScorer::generate(const std::vector<std::int32_t>& prompt, std::int64_t maxNewTokens,
                         const std::function<bool(const std::vector<std::int32_t>&)>& stop) {
  lm::GenerationOptions options;
  options.maxNewTokens = maxNewTokens;
  options.mix = mix_;
  options.run = run_;
  std::vector<std::int32_t> generated;
  options.stop = [&](const std::vector<std::int64_t>& tokens) {
    generated.assign(tokens.begin(), tokens.end());
    return stop(generated);
  };
  const auto result =
      lm::generateGreedy(model_, std::vector<std::int64_t>(prompt.begin(), prompt.end()), options);
  return std::vector<std::int32_t>(result.tokens.begin(), result.tokens.end());
}

} // namespace mg::lm_eval
