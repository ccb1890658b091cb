#pragma once
// LoRA extraction from a fine-tuned model (spec, LoRA-space operations): every weight matrix that
// differs from the base becomes LoRA factors by truncated SVD of the difference; other changed
// tensors (biases, norms) are saved whole, as PEFT does for modules_to_save.
#include "weights/weight_set.h"

#include <string>
#include <vector>

namespace mg::engine {

struct LoraExtractionOptions {
  std::int64_t maxRank = 16;
  double epsilon = 1e-6; // singular values at or below this are dropped
  std::string baseModelName;
};

struct ExtractedModule {
  std::string module;
  std::int64_t rank = 0;
  double relativeError = 0; // ‖Δ − B·A‖_F / ‖Δ‖_F
};

struct LoraExtractionReport {
  std::vector<ExtractedModule> modules;
  std::vector<std::string> replaced; // tensors saved whole
  double maxRelativeError() const;
};

// Writes a PEFT adapter folder at `outFolder` (atomically). Throws std::runtime_error when the two
// models disagree on names or shapes, or when nothing differs.
LoraExtractionReport extractLoraAdapter(const WeightSet& base, const WeightSet& finetuned,
                                        const std::string& outFolder, const LoraExtractionOptions& options);

} // namespace mg::engine
