#pragma once
// lm_eval's TokenScorer over a LibTorch causal LM (core/lm), with the adapters it was loaded with mixed by
// the weights last set (empty: each with weight 1, the plain adapted model); a router sets them per example.
#include <vector>

#include "lm/causal_lm.h"
#include "lm/run_options.h"
#include "lm_eval/token_scorer.h"

namespace mg::lm_eval {

class CausalLmScorer final : public TokenScorer {
public:
  // `model` outlives the scorer. `contextLength`: the window the evaluation uses (0: the model's
  // max_position_embeddings, else 2048 when the config gives none).
  CausalLmScorer(const lm::CausalLm& model, lm::RunOptions run, std::vector<float> mix = {},
                 std::int64_t contextLength = 0);

  std::vector<Result> score(const std::vector<Request>& requests) override;
  std::vector<std::int32_t>
  generate(const std::vector<std::int32_t>& prompt, std::int64_t maxNewTokens,
           const std::function<bool(const std::vector<std::int32_t>&)>& stop) override;
  std::int64_t maxLength() const override { return contextLength_; }
  // The adapter weights of the requests from now on (one per adapter the model was loaded with).
  void setMix(std::vector<float> mix) { mix_ = std::move(mix); }

private:
  const lm::CausalLm& model_;
  lm::RunOptions run_;
  std::vector<float> mix_;
  std::int64_t contextLength_;
};

} // namespace mg::lm_eval
