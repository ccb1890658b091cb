#pragma once
// A sequence's mean last hidden state: the average over its tokens of the final (normalised) hidden
// states, a fixed-size representation for routing and data embeddings.
#include <cstdint>
#include <vector>

#include "lm/causal_lm.h"
#include "lm/run_options.h"

namespace at {
class Tensor;
}

namespace mg::lm {

// [N, hidden] float32, row i for sequences[i] (each non-empty). `mixes`: per-sequence adapter weights
// (empty vectors, or no vector at all, for all 1).
at::Tensor meanHiddenStates(const CausalLm& model, const std::vector<std::vector<std::int64_t>>& sequences,
                            const RunOptions& options = {},
                            const std::vector<std::vector<float>>& mixes = {});

} // namespace mg::lm
