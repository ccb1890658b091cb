#pragma once
// The whole text of a text task's example, answer included (perplexity: the text; multiple_choice: the
// context and its correct choice; generation: the prompt and the answer): what a task's data is, for data
// embeddings and feature shifts.
#include <string>

#include "io/text_task_file.h"

namespace mg::lm_eval {

inline std::string exampleText(const io::TextTask& task, const io::TextExample& example) {
  switch (task.kind) {
  case io::TextTaskKind::Perplexity: return example.text;
  case io::TextTaskKind::MultipleChoice:
    return example.context + example.choices.at(std::size_t(example.label));
  case io::TextTaskKind::Generation: return example.prompt + example.answer;
  }
  return {};
}

} // namespace mg::lm_eval
