#pragma once
// Routing among the LoRA adapters a causal language model was loaded with (lm::LoadOptions::adapters), one
// decision per example: the features are the BASE model's (every adapter weight 0) mean last hidden state
// over the example's routing text (lm_eval/example_text.h: a perplexity text, a multiple-choice context, a
// generation prompt), tokenized without special tokens as lm_eval does, its last context-window tokens (an
// empty text: the BOS, else EOS, token). The methods are router.h's on these features:
//   nearest  cosine to each adapter's prototype, the mean feature of the first fit_examples examples of the
//            task named after the adapter;
//   trained  logistic regression on the LayerNorm'd features of those examples, seeded; top k of its logits;
//   smear    that router's softmax over every adapter, the adapters' updates mixed with it per sequence.
// arrow is refused: its per-layer scores need the inputs of every adapted layer, which the LM does not
// expose.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm/run_options.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"
#include "route/router.h"
#include "text/tokenizer.h"

namespace mg::route {

namespace detail {
class InputLevelRouter;
}

class LmRouter {
public:
  // adapterNames[j] names the model's adapter j (its folder's name) and the task it is fitted on, among
  // `fitTasks`. `model` and `tokenizer` outlive the router. Throws std::runtime_error for arrow, a bad
  // option, a count that does not match the model's adapters, or an adapter without a task with examples.
  LmRouter(const lm::CausalLm& model, const text::Tokenizer& tokenizer, std::vector<std::string> adapterNames,
           const std::vector<io::TextTask>& fitTasks, const RouterOptions& options, lm::RunOptions run = {});
  ~LmRouter();

  std::string describe() const; // "nearest, top-1", "smear"
  const std::vector<std::string>& adapterNames() const { return names_; }
  // The base features [N, hidden] of texts.
  at::Tensor features(const std::vector<std::string>& texts) const;
  // The router's scores [N, K] of texts (cosines or logits), before top k and softmax.
  at::Tensor scores(const std::vector<std::string>& texts) const;
  // The mixing weights [N, K] of texts: softmax(score / temperature) over the top k scores.
  at::Tensor mixes(const std::vector<std::string>& texts) const;

private:
  std::vector<std::vector<std::int64_t>> sequences(const std::vector<std::string>& texts) const;

  const lm::CausalLm& model_;
  const text::Tokenizer& tokenizer_;
  std::vector<std::string> names_;
  lm::RunOptions run_;
  std::unique_ptr<detail::InputLevelRouter> router_;
};

struct RoutedTextScore {
  lm_eval::TextTaskScore score;
  std::vector<std::int64_t> routedCounts; // per adapter: the scored examples whose largest weight it had
};

// lm_eval::evaluateTextTask with each example's requests run with the mix the router chooses on its routing
// text; `scorer` runs the router's model (its mix is left as the last example's). Throws as evaluateTextTask.
RoutedTextScore evaluateRoutedText(const LmRouter& router, lm_eval::CausalLmScorer& scorer,
                                   const text::Tokenizer& tokenizer, const io::TextTask& task,
                                   lm_eval::TextEvaluationOptions options = {});

} // namespace mg::route
