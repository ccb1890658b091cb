#include "eval/model_scores.h"

#include <set>

namespace mg::eval {

std::vector<ModelScores> mergeScores(std::vector<ModelScores> saved, const std::vector<ModelScores>& fresh) {
  std::set<std::uint64_t> replaced;
  for (const auto& entry : fresh)
    replaced.insert(entry.evaluateNode);
  std::vector<ModelScores> merged;
  for (auto& entry : saved)
    if (!replaced.count(entry.evaluateNode)) merged.push_back(std::move(entry));
  merged.insert(merged.end(), fresh.begin(), fresh.end());
  return merged;
}

} // namespace mg::eval
