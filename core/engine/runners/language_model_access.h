#pragma once
// Runners that run a language model (Evaluate on text tasks, the Embedding map's data kind, routers over LLM
// adapters) load it the same way from a Model input: a Model source's folder (weights mapped by core/lm), or
// a model the engine computes (a merge: its weight set, tensor by tensor) with the config.json and tokenizer
// of the Hugging Face folder it came from.
#include <memory>
#include <string>
#include <vector>

#include "engine/node_runner.h"
#include "lm/causal_lm.h"
#include "text/tokenizer.h"

namespace mg::engine {

// Sequences a language model runs at once: its logits are [batch, length, vocabulary], so the classifiers'
// batches of hundreds would not fit in memory.
inline constexpr std::int64_t kLanguageModelBatch = 8;

struct LanguageModel {
  std::unique_ptr<lm::CausalLm> model;
  std::shared_ptr<const text::Tokenizer> tokenizer;
};

// `model` on input `input` of the context's node, with `adapters` (PEFT folders) applied unmerged;
// `writableWeights`: its tensors copied into memory, so they may be changed in place (LoadOptions). Throws
// std::runtime_error naming the input when it has no Hugging Face folder, io::IoError for the files.
LanguageModel loadLanguageModel(const NodeRunContext& context, const ModelValue& model,
                                const std::string& input, const std::vector<std::string>& adapters = {},
                                bool writableWeights = false);

// The language model a Model input carries: a model, or an adapter applied (unmerged) to the node's 'base'.
// `input` names it in errors.
LanguageModel loadInputLanguageModel(const NodeRunContext& context, const NodeValue& model,
                                     const std::string& input);

} // namespace mg::engine
