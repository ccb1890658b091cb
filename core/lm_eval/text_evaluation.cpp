#include "lm_eval/text_evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "lm_eval/harness_requests.h"
#include "text/tokenizer.h"

namespace mg::lm_eval {

namespace {

std::vector<std::int32_t> encode(const text::Tokenizer& tokenizer, const std::string& text) {
  return tokenizer.encode(text, false);
}

std::string strip(const std::string& text) {
  const char* space = " \t\n\r\f\v";
  const auto begin = text.find_first_not_of(space);
  if (begin == std::string::npos) return {};
  return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

// The generated text up to the first stop text (the whole text when none occurs).
std::string cutAtStop(const std::string& generated, const std::vector<std::string>& stops) {
  std::size_t cut = generated.size();
  for (const auto& stop : stops)
    cut = std::min(cut, generated.find(stop));
  return generated.substr(0, cut);
}

class Progress {
public:
  Progress(const TextEvaluationOptions& options, std::int64_t total) : options_(options), total_(total) {}
  void before(std::int64_t example) {
    if (options_.beforeExample) options_.beforeExample(std::size_t(example));
  }
  void example() {
    if (options_.cancel) options_.cancel->throwIfCancelled();
    ++done_;
    if (options_.progress) options_.progress(done_, total_);
  }

private:
  const TextEvaluationOptions& options_;
  std::int64_t total_, done_ = 0;
};

void scorePerplexity(TokenScorer& model, const text::Tokenizer& tokenizer, const io::TextTask& task,
                     std::int64_t count, Progress& progress, TextTaskTally& score) {
  const auto prefix = prefixToken(tokenizer, task.name);
  for (std::int64_t i = 0; i < count; ++i) {
    progress.before(i);
    const auto tokens = encode(tokenizer, task.examples[i].text);
    for (const auto& result : model.score(rollingWindows(tokens, prefix, model.maxLength())))
      score.logLikelihoods.push_back(result.logLikelihood);
    score.tokens += std::int64_t(tokens.size());
    progress.example();
  }
}

void scoreMultipleChoice(TokenScorer& model, const text::Tokenizer& tokenizer, const io::TextTask& task,
                         std::int64_t count, Progress& progress, TextTaskTally& score) {
  for (std::int64_t i = 0; i < count; ++i) {
    progress.before(i);
    const auto& example = task.examples[i];
    std::vector<TokenScorer::Request> requests;
    for (const auto& choice : example.choices) {
      const auto [contextTokens, continuationTokens] =
          encodePair(tokenizer, example.context, choice, task.name);
      if (continuationTokens.empty())
        throw std::runtime_error("task " + task.name + ", line " + std::to_string(example.line) +
                                 ": a choice tokenizes to nothing after its context");
      score.tokens += std::int64_t(continuationTokens.size());
      requests.push_back(continuationRequest(contextTokens, continuationTokens, model.maxLength()));
    }
    const auto results = model.score(requests);
    std::size_t best = 0, bestNorm = 0;
    for (std::size_t c = 1; c < results.size(); ++c) {
      // Ties go to the first, as numpy's argmax.
      if (results[c].logLikelihood > results[best].logLikelihood) best = c;
      const auto norm = [&](std::size_t k) {
        return results[k].logLikelihood / double(codePoints(example.choices[k]));
      };
      if (norm(c) > norm(bestNorm)) bestNorm = c;
    }
    score.correct += std::int64_t(best) == example.label;
    score.correctNorm += std::int64_t(bestNorm) == example.label;
    progress.example();
  }
}

void scoreGeneration(TokenScorer& model, const text::Tokenizer& tokenizer, const io::TextTask& task,
                     std::int64_t count, Progress& progress, TextTaskTally& score) {
  for (std::int64_t i = 0; i < count; ++i) {
    progress.before(i);
    const auto& example = task.examples[i];
    auto prompt = example.prompt.empty() ? std::vector<std::int32_t>{prefixToken(tokenizer, task.name)}
                                         : encode(tokenizer, example.prompt);
    // The prompt keeps its end when it and the answer do not fit the window together.
    const auto room = std::max<std::int64_t>(1, model.maxLength() - task.maxNewTokens);
    if (std::int64_t(prompt.size()) > room) prompt.erase(prompt.begin(), prompt.end() - room);
    const auto generated =
        model.generate(prompt, task.maxNewTokens, [&](const std::vector<std::int32_t>& tokens) {
          const auto text = tokenizer.decode(tokens, true);
          return std::any_of(task.stop.begin(), task.stop.end(),
                             [&](const std::string& stop) { return text.find(stop) != std::string::npos; });
        });
    score.tokens += std::int64_t(generated.size());
    const auto answer = cutAtStop(tokenizer.decode(generated, true), task.stop);
    score.matches += strip(answer) == strip(example.answer);
    progress.example();
  }
}

} // namespace

TextTaskScore evaluateTextTask(TokenScorer& model, const text::Tokenizer& tokenizer, const io::TextTask& task,
                               const TextEvaluationOptions& options) {
  return tallyTextTask(model, tokenizer, task, options).score();
}

void TextTaskTally::add(const TextTaskTally& later) {
  examples += later.examples;
  tokens += later.tokens;
  logLikelihoods.insert(logLikelihoods.end(), later.logLikelihoods.begin(), later.logLikelihoods.end());
  correct += later.correct;
  correctNorm += later.correctNorm;
  matches += later.matches;
}

TextTaskScore TextTaskTally::score() const {
  TextTaskScore score;
  score.task = task;
  score.kind = kind;
  score.examples = examples;
  score.tokens = tokens;
  const double count = double(examples);
  switch (kind) {
  case io::TextTaskKind::Perplexity:
    for (const double window : logLikelihoods)
      score.logLikelihood += window;
    score.perplexity = tokens > 0 ? std::exp(-score.logLikelihood / double(tokens))
                                  : std::numeric_limits<double>::quiet_NaN();
    break;
  case io::TextTaskKind::MultipleChoice:
    score.accuracy = examples > 0 ? double(correct) / count : 0.0;
    score.accuracyNorm = examples > 0 ? double(correctNorm) / count : 0.0;
    break;
  case io::TextTaskKind::Generation:
    score.exactMatch = examples > 0 ? double(matches) / count : 0.0;
    score.accuracy = score.exactMatch;
    break;
  }
  return score;
}

TextTaskTally tallyTextTask(TokenScorer& model, const text::Tokenizer& tokenizer, const io::TextTask& task,
                            const TextEvaluationOptions& options) {
  if (options.firstExample > 0) { // the examples from firstExample on, as a task of their own
    io::TextTask rest = task;
    const auto first = std::min<std::size_t>(std::size_t(options.firstExample), task.examples.size());
    rest.examples.erase(rest.examples.begin(), rest.examples.begin() + std::ptrdiff_t(first));
    if (rest.examples.empty())
      throw std::runtime_error("task " + task.name + " has " + std::to_string(task.examples.size()) +
                               " examples: none from first_example " + std::to_string(options.firstExample));
    TextEvaluationOptions from = options;
    from.firstExample = 0;
    if (options.beforeExample) // indices of the whole task
      from.beforeExample = [&options, first](std::size_t i) { options.beforeExample(i + first); };
    return tallyTextTask(model, tokenizer, rest, from);
  }
  TextTaskTally score;
  score.task = task.name;
  score.kind = task.kind;
  const auto available = std::int64_t(task.examples.size());
  score.examples = options.maxExamples > 0 ? std::min(options.maxExamples, available) : available;
  Progress progress(options, score.examples);
  switch (task.kind) {
  case io::TextTaskKind::Perplexity:
    scorePerplexity(model, tokenizer, task, score.examples, progress, score);
    break;
  case io::TextTaskKind::MultipleChoice:
    scoreMultipleChoice(model, tokenizer, task, score.examples, progress, score);
    break;
  case io::TextTaskKind::Generation:
    scoreGeneration(model, tokenizer, task, score.examples, progress, score);
    break;
  }
  return score;
}

} // namespace mg::lm_eval
