#pragma once
// Writes the result of a merge as a PEFT LoRA adapter on the merge's base, so a composition of
// adapters stays an adapter. Exact when the result is low-rank by construction (task_arithmetic
// or linear over LoRA adapters only: the factors are concatenated, rank Σ r_i; knots: the joint SVD's
// basis times the merged coefficients, rank ≤ Σ r_i); otherwise, given a rank, by truncated SVD of
// (merge − base) per weight matrix, reporting the relative error.
#include "weights/lora_extraction.h"
#include "weights/merged_weights.h"
#include "io/peft_adapter.h"

#include <optional>

namespace mg::engine {

struct MergedAdapterReport {
  bool exact = false;
  LoraExtractionReport modules; // per module rank and relative Frobenius error (0 when exact)
};

// Throws std::invalid_argument when the result is not low-rank and no rank was given, or when the
// merge has no base to be relative to.
// Σ c_i · (s_i·B_i·A_i) of adapters of one base as one adapter whose rank is Σ r_i per module, exactly
// (the coefficients and scalings go into A; scaling 1). Written atomically at `outFolder`.
MergedAdapterReport writeConcatenatedAdapter(const std::vector<const io::PeftAdapter*>& adapters,
                                             const std::vector<double>& coefficients,
                                             const std::string& outFolder);

MergedAdapterReport writeMergedAdapter(const MergedWeights& merged, const std::string& outFolder,
                                       std::optional<std::int64_t> rank);

} // namespace mg::engine
