#include "lm/batching.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace mg::lm::detail {

std::vector<std::vector<std::size_t>> lengthSortedBatches(const std::vector<std::size_t>& lengths,
                                                          std::size_t batchSize) {
  std::vector<std::size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return lengths[a] > lengths[b]; });
  std::vector<std::vector<std::size_t>> batches;
  const auto size = std::max<std::size_t>(batchSize, 1);
  for (std::size_t i = 0; i < order.size(); i += size)
    batches.emplace_back(order.begin() + i, order.begin() + std::min(order.size(), i + size));
  return batches;
}

at::Tensor paddedIds(const std::vector<const std::vector<std::int64_t>*>& sequences) {
  std::size_t longest = 0;
  for (const auto* s : sequences)
    longest = std::max(longest, s->size());
  auto ids =
      at::zeros({static_cast<std::int64_t>(sequences.size()), static_cast<std::int64_t>(longest)}, at::kLong);
  auto* out = ids.data_ptr<std::int64_t>();
  for (std::size_t b = 0; b < sequences.size(); ++b)
    std::copy(sequences[b]->begin(), sequences[b]->end(), out + b * longest);
  return ids;
}

at::Tensor mixRows(const std::vector<const std::vector<float>*>& mixes, std::size_t adapters) {
  if (adapters == 0) return {};
  auto mix =
      at::ones({static_cast<std::int64_t>(mixes.size()), static_cast<std::int64_t>(adapters)}, at::kFloat);
  auto* out = mix.data_ptr<float>();
  for (std::size_t b = 0; b < mixes.size(); ++b) {
    if (!mixes[b] || mixes[b]->empty()) continue;
    if (mixes[b]->size() != adapters)
      throw std::invalid_argument("a sequence's adapter weights have " + std::to_string(mixes[b]->size()) +
                                  " values; the model has " + std::to_string(adapters) + " adapters");
    std::copy(mixes[b]->begin(), mixes[b]->end(), out + b * adapters);
  }
  return mix;
}

} // namespace mg::lm::detail
