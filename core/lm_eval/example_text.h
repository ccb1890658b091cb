#pragma once
// The texts of a text task's example. exampleText: the whole text, answer included (perplexity: the text;
// multiple_choice: the context and its correct choice; generation: the prompt and the answer): what a task's
// data is, for data embeddings and feature shifts. routingText: what a router reads.
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

namespace mg::lm_eval {

// The part of an example a router reads before anything is scored or generated, so that one mix serves the
// whole example: perplexity: the text; multiple_choice: the context (every choice gets the same mix);
// generation: the prompt.
inline const std::string& routingText(const io::TextTask& task, const io::TextExample& example) {
  switch (task.kind) {
  case io::TextTaskKind::MultipleChoice: return example.context;
  case io::TextTaskKind::Generation: return example.prompt;
  case io::TextTaskKind::Perplexity: break;
  }
  return example.text;
}

} // namespace mg::lm_eval
