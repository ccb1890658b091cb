#pragma once
// Text examples as the token sequences a language model trains on, tokenized exactly as core/lm_eval scores
// them (lm-evaluation-harness's conventions), so that training lowers the loss of what evaluation measures:
//   multiple_choice  a sequence per choice: the context and the choice split as the harness splits them
//                    (encodePair), the choice's tokens scored;
//   generation       the prompt as generation reads it (its own tokens; the prefix token when empty), then
//                    the answer and the task's first stop text, tokenized on their own, all scored: the model
//                    learns to end its answer where evaluation cuts it;
//   perplexity       the text's rolling windows after the prefix token, every token scored once.
// Sequences longer than the model's window keep their end (continuationRequest), as in evaluation.
#include <cstdint>
#include <vector>

#include "io/text_task_file.h"
#include "lm_eval/token_scorer.h"

namespace mg::text {
class Tokenizer;
}

namespace mg::train {

struct LmTrainingExample {
  std::vector<lm_eval::TokenScorer::Request> sequences;
  // multiple_choice: the correct choice's index into `sequences`; -1: every sequence is a target.
  std::int64_t label = -1;
};

// Throws std::runtime_error naming the task and the line: a choice or an answer that tokenizes to nothing,
// a tokenizer without BOS and EOS where one is needed.
LmTrainingExample lmTrainingExample(const text::Tokenizer& tokenizer, const io::TextTask& task,
                                    const io::TextExample& example, std::int64_t maxLength);

} // namespace mg::train
