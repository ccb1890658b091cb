#pragma once
// LoRA adapters by truncated SVD (spec, LoRA-space operations), from a fine-tuned model and its base
// (Extract LoRA), from task vectors or from an adapter's own update (SVD to LoRA): every weight matrix that
// changes becomes LoRA factors by truncated SVD of its change (one path for all, ops::lowRankOfDelta); other
// changed tensors (biases, norms) are saved whole, as PEFT does for modules_to_save, when their new value is
// known.
#include "weights/weight_set.h"

#include <memory>
#include <string>
#include <vector>

namespace mg::io {
class PeftAdapter;
}

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
  std::vector<std::string> replaced; // tensors saved whole (an input adapter's: carried over unchanged)
  // Changed tensors that are not weight matrices and whose new value is unknown (task vectors without
  // their base): an adapter cannot carry them, so they are left out.
  std::vector<std::string> dropped;
  double maxRelativeError() const;
};

// Writes a PEFT adapter folder at `outFolder` (atomically). Throws std::runtime_error when the two
// models disagree on names or shapes, or when nothing differs.
LoraExtractionReport extractLoraAdapter(const WeightSet& base, const WeightSet& finetuned,
                                        const std::string& outFolder, const LoraExtractionOptions& options);

// Writes task vectors `deltas` as a PEFT adapter folder at `outFolder` (atomically): per weight matrix the
// best approximation of rank at most options.maxRank; other changed tensors are listed in `dropped`.
// Throws std::runtime_error when no weight matrix changes.
LoraExtractionReport deltaToLoraAdapter(const WeightSet& deltas, const std::string& outFolder,
                                        const LoraExtractionOptions& options);

// Writes the update of a PEFT LoRA adapter (s·B·A per module, read from the adapter alone) as a PEFT adapter
// folder at `outFolder` (atomically): per module the best approximation of rank at most options.maxRank, in
// the input's layout (fan_in_fan_out, embeddings), at scale 1; its whole tensors (modules_to_save, trained
// biases) are carried over unchanged, with its bias and modules_to_save settings. options.baseModelName is
// written as base_model_name_or_path. Throws std::runtime_error naming the adapter for a DoRA adapter (its
// update needs the base weights) or when every module's update is zero.
LoraExtractionReport adapterToLoraAdapter(std::shared_ptr<const io::PeftAdapter> adapter,
                                          const std::string& outFolder, const LoraExtractionOptions& options);

} // namespace mg::engine
