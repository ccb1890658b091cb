#pragma once
// Feature interference for language models: how far a specialist moves the base's final hidden states on a
// text task's texts, mean |h_specialist − h_base| / mean |h_base| over every token of the first `examples`
// examples (the classifiers' measure, eval/feature_interference.h, with the hidden states the LM head reads
// as the features).
#include <cstdint>
#include <vector>

#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "text/tokenizer.h"
#include "weights/cancel.h"

namespace mg::lm_eval {

// A model and the adapter weights it runs with (empty: as loaded): one base loaded with K adapters serves as
// the base (all 0) and as each adapter alone (one-hot).
struct MixedModel {
  const lm::CausalLm* model = nullptr;
  std::vector<float> mix;
};

// Throws std::runtime_error naming the task when no example has a token; engine::Cancelled.
double textFeatureShift(const MixedModel& base, const MixedModel& specialist,
                        const text::Tokenizer& tokenizer, const io::TextTask& task, std::int64_t examples,
                        const engine::CancelToken* cancel);

} // namespace mg::lm_eval
