#include "weights/distinct_warnings.h"

namespace mg::engine {

void DistinctWarnings::add(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& warning : warnings)
    if (seen_.insert(warning).second) ordered_.push_back(warning);
}

std::vector<std::string> DistinctWarnings::list() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return ordered_;
}

} // namespace mg::engine
