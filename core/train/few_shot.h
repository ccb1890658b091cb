#pragma once
// Seeded few-shot selection (issue 19): per group of examples (a class, or a whole task), the validation
// examples are drawn first and held apart, then k training examples from the rest; one seed gives the same
// split on every platform (the generator's numbers are used directly, never through std:: distributions).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mg::train {

struct FewShotSplit {
  std::vector<std::size_t> train, validation; // indices of examples, ascending
};

// `groups[i]`: example i's group. k = 0 takes every example not held for validation. When a group has fewer
// than validation + k examples (or none left to train on), throws std::invalid_argument with
// `tooFew(group, size)` as the message.
FewShotSplit splitFewShot(const std::vector<std::int64_t>& groups, std::int64_t k, std::int64_t validation,
                          std::uint64_t seed,
                          const std::function<std::string(std::int64_t group, std::size_t size)>& tooFew);

} // namespace mg::train
