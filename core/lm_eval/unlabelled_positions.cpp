#include "lm_eval/unlabelled_positions.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "io/text_task_file.h"
#include "lm_eval/harness_requests.h"
#include "lm_eval/lm_statistics.h"
#include "text/tokenizer.h"

namespace mg::lm_eval {

namespace {

// A scoring request's reading: it reads every token but the last, and its scored tokens are predicted from
// position from - 1 on.
PredictionPositions fromRequest(const TokenScorer::Request& request) {
  return {std::vector<std::int32_t>(request.tokens.begin(), request.tokens.end() - 1), request.from - 1};
}

} // namespace

std::vector<PredictionPositions> unlabelledPositions(const io::TextTask& task,
                                                     const text::Tokenizer& tokenizer, std::int64_t examples,
                                                     std::int64_t maxLength) {
  const auto count = examples > 0 ? std::min<std::size_t>(std::size_t(examples), task.examples.size())
                                  : task.examples.size();
  std::vector<PredictionPositions> out;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& example = task.examples[i];
    const auto where = "task " + task.name + ", line " + std::to_string(example.line) + ": ";
    switch (task.kind) {
    case io::TextTaskKind::Perplexity: {
      auto tokens = tokenizer.encode(example.text, false);
      if (tokens.empty()) throw std::runtime_error(where + "the text has no token");
      tokens.resize(std::min<std::size_t>(tokens.size(), std::size_t(kStatisticsTokens)));
      for (const auto& window : rollingWindows(tokens, prefixToken(tokenizer, task.name), maxLength))
        out.push_back(fromRequest(window));
      break;
    }
    case io::TextTaskKind::MultipleChoice:
      for (const auto& choice : example.choices) {
        const auto [context, continuation] = encodePair(tokenizer, example.context, choice, task.name);
        if (continuation.empty())
          throw std::runtime_error(where + "a choice tokenizes to nothing after its context");
        out.push_back(fromRequest(continuationRequest(context, continuation, maxLength)));
      }
      break;
    case io::TextTaskKind::Generation: {
      auto prompt = tokenizer.encode(example.prompt, false);
      if (prompt.empty()) prompt = {prefixToken(tokenizer, task.name)}; // as generation starts from nothing
      if (std::int64_t(prompt.size()) > maxLength) prompt.erase(prompt.begin(), prompt.end() - maxLength);
      out.push_back({prompt, prompt.size() - 1});
      break;
    }
    }
  }
  if (out.empty()) throw std::runtime_error("task " + task.name + " has no example to read");
  return out;
}

} // namespace mg::lm_eval
