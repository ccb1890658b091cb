#include "engine/runners/scores_of.h"

#include <stdexcept>

#include "eval/evaluation.h"

namespace mg::engine {

double meanAccuracy(const ScoresValue& value) {
  if (!value.scores || value.scores->empty()) return 0;
  double sum = 0;
  for (const auto& score : *value.scores)
    sum += score.accuracy;
  return sum / double(value.scores->size());
}

ScoresValue scoresOf(const NodeOutputs& outputs, const std::string& where) {
  if (!outputs.values.empty()) {
    if (const auto* scores = std::get_if<ScoresValue>(&outputs.values.front())) return *scores;
  }
  if (!outputs.results.empty()) return outputs.results.front();
  throw std::runtime_error(where + ": the node feeding 'scores' gave no scores");
}

} // namespace mg::engine
