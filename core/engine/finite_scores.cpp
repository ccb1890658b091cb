#include "engine/finite_scores.h"

#include <cmath>
#include <sstream>

#include "eval/evaluation.h"

namespace mg::engine {
namespace {

std::optional<std::string> check(const ScoresValue& value) {
  if (!value.scores) return std::nullopt;
  for (const eval::TaskScore& score : *value.scores) {
    const auto bad = [&](const char* what, double number) -> std::optional<std::string> {
      if (std::isfinite(number)) return std::nullopt;
      std::ostringstream text;
      text << "non-finite score: model '" << value.model << "' task '" << score.task << "' has " << what
           << ' ' << number << " (the model's outputs are not finite)";
      return text.str();
    };
    if (auto problem = bad("accuracy", score.accuracy)) return problem;
    if (auto problem = bad("loss", score.loss)) return problem;
    // A perplexity over no tokens is NaN by definition, not a broken model.
    if (score.perplexity && score.tokens > 0)
      if (auto problem = bad("perplexity", *score.perplexity)) return problem;
    if (score.accuracyNorm)
      if (auto problem = bad("normalized accuracy", *score.accuracyNorm)) return problem;
  }
  return std::nullopt;
}

} // namespace

std::optional<std::string> nonFiniteScores(const NodeOutputs& outputs) {
  for (const NodeValue& value : outputs.values)
    if (const auto* scores = std::get_if<ScoresValue>(&value))
      if (auto problem = check(*scores)) return problem;
  for (const ScoresValue& scores : outputs.results)
    if (auto problem = check(scores)) return problem;
  return std::nullopt;
}

} // namespace mg::engine
