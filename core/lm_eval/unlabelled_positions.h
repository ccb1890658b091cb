#pragma once
// The positions of a text task whose next-token distributions AdaMerging's entropy reads on a language model
// (docs/spec/language-models.md "AdaMerging on text tasks"): what the model predicts where the task asks it
// something, read from the task's inputs alone — never its labels.
//  - perplexity: every token of the text predicts the next (its first kStatisticsTokens tokens, in the
//    rolling windows perplexity is scored with);
//  - multiple_choice: the positions predicting each choice's tokens after the context, for every choice (the
//    choices are part of the question; which one is correct is not read);
//  - generation: the prompt's last position, predicting the answer's first token (the answer is the label).
#include <cstdint>
#include <vector>

namespace mg::io {
struct TextTask;
}
namespace mg::text {
class Tokenizer;
}

namespace mg::lm_eval {

// The model reads `tokens`; the distributions at positions first .. tokens.size() - 1 count.
struct PredictionPositions {
  std::vector<std::int32_t> tokens;
  std::size_t first = 0;
};

// The task's first `examples` examples (0: all), pairs encoded as the harness encodes them (encodePair) and
// cut from the left to `maxLength` tokens. Throws std::runtime_error naming the task and line of an example
// with nothing to read (an empty choice), or when the task has no example.
std::vector<PredictionPositions> unlabelledPositions(const io::TextTask& task,
                                                     const text::Tokenizer& tokenizer, std::int64_t examples,
                                                     std::int64_t maxLength);

} // namespace mg::lm_eval
