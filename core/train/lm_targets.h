#pragma once
// Which modules of a causal language model a fine-tune adapts: the options' PEFT-style targets, else PEFT's
// defaults for the architecture (peft/utils/constants.py): LoRA q_proj, v_proj (GPT-2: c_attn); IA³ k_proj,
// v_proj, down_proj with down_proj as the feed-forward module (GPT-2: c_attn, mlp.c_proj with mlp.c_proj).
#include <string>
#include <vector>

#include "lm/lm_config.h"
#include "train/fine_tune_options.h"

namespace mg::train {

struct LmTargets {
  std::vector<std::string> modules;     // the linear modules matched, in the model's order
  std::vector<std::string> patterns;    // what adapter_config.json's target_modules says (a list)...
  std::string regex;                    // ...or this regex when the options gave one
  std::vector<std::string> feedforward; // IA³: the matched modules whose input is scaled
  std::vector<std::string> feedforwardPatterns;
};

// `linearModules`: lm::CausalLm::linearModules(). Throws std::invalid_argument naming the setting when
// nothing matches (listing a few module names), when the regex is not valid, or when a feed-forward module is
// not among the targets.
LmTargets lmTargets(const lm::LmConfig& config, const std::vector<std::string>& linearModules,
                    const FineTuneOptions& options);

} // namespace mg::train
