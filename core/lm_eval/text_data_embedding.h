#pragma once
// A text task's data embedding for the Embedding map (kind data) with a language model as the probe: the
// mean, over the task's examples, of the model's mean last hidden state over each example's text (perplexity:
// the text; multiple_choice: the context followed by its correct choice; generation: the prompt followed by
// the answer), tokenized without special tokens and cut to the model's context window.
#include <cstdint>
#include <vector>

#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm/run_options.h"
#include "text/tokenizer.h"

namespace mg::lm_eval {

// `maxExamples` 0: every example. Throws std::runtime_error naming the task when no example has a token;
// engine::Cancelled.
std::vector<float> textDataEmbedding(const lm::CausalLm& model, const text::Tokenizer& tokenizer,
                                     const io::TextTask& task, std::int64_t maxExamples,
                                     const lm::RunOptions& run);

} // namespace mg::lm_eval
