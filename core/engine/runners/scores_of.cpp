#include "engine/runners/scores_of.h"

#include <cstdio>
#include <stdexcept>

#include "eval/evaluation.h"
#include "util/percent_text.h"

namespace mg::engine {

double meanAccuracy(const ScoresValue& value) {
  if (!value.scores || value.scores->empty()) return 0;
  double sum = 0;
  int count = 0;
  for (const auto& score : *value.scores)
    if (score.hasAccuracy()) { // a language model's perplexity task has none
      sum += score.accuracy;
      ++count;
    }
  if (count == 0)
    throw std::runtime_error("the scores of " + value.model +
                             " are perplexities only: a sweep's best point and a search need tasks with an "
                             "accuracy (multiple_choice, generation or classifier tasks)");
  return sum / count;
}

std::string scoreText(const eval::TaskScore& score) {
  if (!score.hasAccuracy() && score.perplexity) {
    char text[48];
    std::snprintf(text, sizeof text, "perplexity %.2f", *score.perplexity);
    return text;
  }
  return util::percentText(score.accuracy);
}

std::string scoresLine(const ScoresValue& value) {
  std::string line;
  if (value.scores)
    for (const auto& score : *value.scores)
      line += "  " + score.task + " " + scoreText(score);
  return line;
}

ScoresValue scoresOf(const NodeOutputs& outputs, const std::string& where) {
  if (!outputs.values.empty()) {
    if (const auto* scores = std::get_if<ScoresValue>(&outputs.values.front())) return *scores;
  }
  if (!outputs.results.empty()) return outputs.results.front();
  throw std::runtime_error(where + ": the node feeding 'scores' gave no scores");
}

} // namespace mg::engine
