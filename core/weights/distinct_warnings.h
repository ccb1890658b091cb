#pragma once
// Warnings the merge kernels report while tensors are computed (ops::TensorContext::warnings), each kept
// once: karcher's "weights ignored" comes for every tensor of a merge and is one line for the user.
// Thread-safe: tensors are computed on several threads during an export.
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace mg::engine {

class DistinctWarnings {
public:
  // Adds those of `warnings` not seen before.
  void add(const std::vector<std::string>& warnings);
  // Every distinct warning, in the order first reported.
  std::vector<std::string> list() const;

private:
  mutable std::mutex mutex_;
  std::vector<std::string> ordered_;
  std::set<std::string> seen_;
};

} // namespace mg::engine
