#include "train/few_shot.h"

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>

namespace mg::train {

FewShotSplit splitFewShot(const std::vector<std::int64_t>& groups, std::int64_t k, std::int64_t validation,
                          std::uint64_t seed,
                          const std::function<std::string(std::int64_t group, std::size_t size)>& tooFew) {
  std::map<std::int64_t, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < groups.size(); ++i)
    members[groups[i]].push_back(i);
  std::mt19937_64 rng(seed);
  FewShotSplit split;
  for (auto& [group, indices] : members) {
    const auto size = indices.size();
    const auto wanted = std::size_t(validation) + std::size_t(k);
    if (size < wanted || (k == 0 && size <= std::size_t(validation)))
      throw std::invalid_argument(tooFew(group, size));
    for (std::size_t i = size; i > 1; --i) // Fisher-Yates
      std::swap(indices[i - 1], indices[rng() % i]);
    const auto held = std::size_t(validation);
    split.validation.insert(split.validation.end(), indices.begin(), indices.begin() + std::ptrdiff_t(held));
    const auto end = k == 0 ? size : held + std::size_t(k);
    split.train.insert(split.train.end(), indices.begin() + std::ptrdiff_t(held),
                       indices.begin() + std::ptrdiff_t(end));
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.validation.begin(), split.validation.end());
  return split;
}

} // namespace mg::train
