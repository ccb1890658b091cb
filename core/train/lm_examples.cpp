#include "train/lm_examples.h"

#include <stdexcept>

#include "lm_eval/harness_requests.h"
#include "text/tokenizer.h"

namespace mg::train {

namespace {

[[noreturn]] void refuseExample(const io::TextTask& task, const io::TextExample& example,
                                const std::string& problem) {
  throw std::runtime_error("task " + task.name + ", line " + std::to_string(example.line) + ": " + problem);
}

} // namespace

LmTrainingExample lmTrainingExample(const text::Tokenizer& tokenizer, const io::TextTask& task,
                                    const io::TextExample& example, std::int64_t maxLength) {
  LmTrainingExample out;
  switch (task.kind) {
  case io::TextTaskKind::MultipleChoice:
    for (const auto& choice : example.choices) {
      const auto [context, continuation] = lm_eval::encodePair(tokenizer, example.context, choice, task.name);
      if (continuation.empty())
        refuseExample(task, example, "a choice tokenizes to nothing after its context");
      out.sequences.push_back(lm_eval::continuationRequest(context, continuation, maxLength));
    }
    out.label = example.label;
    break;
  case io::TextTaskKind::Generation: {
    // As lm_eval's generation reads the prompt; the answer as the model has to produce it, then the stop.
    const auto prompt = example.prompt.empty()
                            ? std::vector<std::int32_t>{lm_eval::prefixToken(tokenizer, task.name)}
                            : tokenizer.encode(example.prompt, false);
    const auto answer =
        tokenizer.encode(example.answer + (task.stop.empty() ? std::string() : task.stop.front()), false);
    if (answer.empty()) refuseExample(task, example, "the answer tokenizes to nothing");
    out.sequences.push_back(lm_eval::continuationRequest(prompt, answer, maxLength));
    break;
  }
  case io::TextTaskKind::Perplexity:
    out.sequences = lm_eval::rollingWindows(tokenizer.encode(example.text, false),
                                            lm_eval::prefixToken(tokenizer, task.name), maxLength);
    if (out.sequences.empty()) refuseExample(task, example, "the text tokenizes to nothing");
    break;
  }
  return out;
}

} // namespace mg::train
