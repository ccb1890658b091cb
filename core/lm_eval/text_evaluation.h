#pragma once
// Scores a causal language model on a text task (io/text_task_file.h) the way lm-evaluation-harness does,
// so the numbers compare with what people publish (spec docs/spec/language-models.md, "Text tasks"):
//   perplexity       token-level: exp(−Σ log p / Σ tokens) over the task's texts, each scored in rolling
//                    windows of the model's context (the first window after the BOS, else EOS, token);
//   multiple_choice  acc: the choice of largest summed log-likelihood after the context; acc_norm: of largest
//                    log-likelihood per character of the choice (the harness's two numbers);
//   generation       exact match of the greedy continuation, cut at the first stop text, both sides
//                    stripped of surrounding whitespace.
// Texts are tokenized without special tokens (as the harness does for causal models); an empty context or
// prompt becomes the BOS (else EOS) token.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/text_task_file.h"
#include "lm_eval/token_scorer.h"
#include "weights/cancel.h"

namespace mg::text {
class Tokenizer;
}

namespace mg::lm_eval {

struct TextTaskScore {
  std::string task;
  io::TextTaskKind kind = io::TextTaskKind::Perplexity;
  std::int64_t examples = 0;
  std::int64_t tokens = 0;  // tokens scored (perplexity: the texts'; multiple_choice: the choices';
                            // generation: generated)
  double logLikelihood = 0; // perplexity: summed over the task's tokens
  double perplexity = 0;    // perplexity only
  double accuracy = 0;      // multiple_choice: acc; generation: exact match
  double accuracyNorm = 0;  // multiple_choice: acc_norm
  double exactMatch = 0;    // generation
};

struct TextEvaluationOptions {
  std::int64_t firstExample = 0; // skip the task's examples before this one (a search's validation split)
  std::int64_t maxExamples = 0;  // 0: every example from firstExample on
  const engine::CancelToken* cancel = nullptr;
  std::function<void(std::int64_t done, std::int64_t total)> progress; // after each example
  // Before each example is scored, with its index in task.examples: a router sets the scorer's adapter mix
  // for the example's requests here (every choice of a multiple-choice example runs with the same mix).
  std::function<void(std::size_t example)> beforeExample;
};

// What a task's score is made of, for a part of its examples: parts of one task (the ranks of an MPI job each
// scoring some, lm_eval/text_evaluation_over_ranks.h) add up to exactly the whole task's score.
struct TextTaskTally {
  std::string task;
  io::TextTaskKind kind = io::TextTaskKind::Perplexity;
  std::int64_t examples = 0, tokens = 0;
  std::vector<double> logLikelihoods; // perplexity: each scored window's, in order
  std::int64_t correct = 0, correctNorm = 0, matches = 0;

  void add(const TextTaskTally& later); // `later`: the examples right after these
  TextTaskScore score() const;          // the log-likelihood summed window after window, as one process does
};

// Throws std::runtime_error for a tokenizer without BOS and EOS tokens where one is needed,
// engine::Cancelled.
TextTaskTally tallyTextTask(TokenScorer& model, const text::Tokenizer& tokenizer, const io::TextTask& task,
                            const TextEvaluationOptions& options = {});

// tallyTextTask(...).score().
TextTaskScore evaluateTextTask(TokenScorer& model, const text::Tokenizer& tokenizer, const io::TextTask& task,
                               const TextEvaluationOptions& options = {});

} // namespace mg::lm_eval
