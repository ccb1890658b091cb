#pragma once
// What a language-model fine-tune trains, per method: the base loaded with a fresh (or continued) LoRA or
// IA³ adapter, or with writable weights for a full fine-tune, the tensors the optimizer changes, and how the
// result is written.
#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lm/causal_lm.h"
#include "train/fine_tune.h"

namespace mg::train {

struct LmTrainee {
  std::unique_ptr<lm::CausalLm> model;
  std::vector<at::Tensor> parameters;
  // Writes the trained result (a PEFT folder, or a model folder) into `folder`.
  std::function<void(const std::string& folder)> write;
};

// `scratch`: a folder the fresh adapter is written to before it is loaded (the output's staging folder).
// Throws std::invalid_argument naming the setting (no module matched, an invalid regex, an adapter of
// another method to continue from), io::IoError for files.
LmTrainee lmTrainee(const LanguageModelBase& base, const FineTuneOptions& options,
                    const std::string& continueFrom, const std::string& scratch,
                    const std::string& description);

} // namespace mg::train
