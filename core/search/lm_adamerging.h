#pragma once
// AdaMerging of language models on text tasks: the coefficients λ of task arithmetic θ = θ0 + Σᵢ λᵢ τᵢ
// (task-wise, or layer-wise: one per model and tensor) learned without labels by minimising the mean entropy
// of the merged model's next-token distributions at the positions each task asks something
// (lm_eval/unlabelled_positions.h). Same coefficients, Adam settings, clipping and options as the
// classifiers' AdaMerging (adamerging.h), which shares the descent.
//
// The gradient, exactly and without a graph through the merge: θ is linear in λ, so
// ∂H/∂λᵢ(l) = <∂H/∂θ_l, τᵢ,l>. Each step writes the merged θ into the model's own tensors (no gradient),
// runs the forward and backward with requires_grad on the tensors some model changes, and takes these inner
// products (summed over l task-wise).
#include <string>
#include <vector>

#include "lm_eval/unlabelled_positions.h"
#include "search/adamerging.h"

namespace mg::lm {
class CausalLm;
}

namespace mg::search {

struct UnlabelledTextTask {
  std::string name;
  std::vector<lm_eval::PredictionPositions> sequences; // the batches draw among these
};

// Sequences run through the model at once inside a batch (the batch's gradient is accumulated over them).
inline constexpr std::int64_t kLanguageModelChunk = 8;

// `model`: the base's architecture loaded with LoadOptions::writableWeights (its tensors are overwritten by
// each step's merge and left at the last one). Each step's entropy: per task the mean over the positions of
// a batch of options.batchSize sequences, then the mean over tasks, in nats. A tensor some model changes that
// the language model does not read gets no gradient (the entropy does not depend on it). Throws
// std::invalid_argument without models or tasks or when the model's weights are mapped read-only (not loaded
// writable), std::runtime_error naming a tensor a model lacks or shapes differently, engine::Cancelled
// between steps.
AdaMergingResult adaMergeLanguageModel(const engine::WeightSetPtr& base,
                                       const std::vector<engine::WeightSetPtr>& models,
                                       const std::vector<UnlabelledTextTask>& tasks, lm::CausalLm& model,
                                       const AdaMergingOptions& options = {});

// The entropy at coefficients `lambda` ([model][tensor] layer-wise, [model][0] task-wise, as
// AdaMergingResult::coefficients) over every sequence of every task, and its gradient ∂H/∂λ in `gradient`
// when given: one step's objective, for checks. Leaves that merge in the model's tensors.
double languageModelEntropy(const engine::WeightSetPtr& base, const std::vector<engine::WeightSetPtr>& models,
                            const std::vector<UnlabelledTextTask>& tasks, lm::CausalLm& model,
                            Granularity granularity, const std::vector<std::vector<double>>& lambda,
                            std::vector<std::vector<double>>* gradient = nullptr);

} // namespace mg::search
