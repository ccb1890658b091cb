#include "lm/hidden_states.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "lm/batching.h"
#include "tensor/intra_op_threads.h"
#include "tensor/tensor_memory.h"

namespace mg::lm {

at::Tensor meanHiddenStates(const CausalLm& model, const std::vector<std::vector<std::int64_t>>& sequences,
                            const RunOptions& options, const std::vector<std::vector<float>>& mixes) {
  if (!mixes.empty() && mixes.size() != sequences.size())
    throw std::invalid_argument("adapter weights are given for " + std::to_string(mixes.size()) + " of " +
                                std::to_string(sequences.size()) + " sequences");
  std::vector<std::size_t> lengths;
  for (const auto& s : sequences) {
    if (s.empty()) throw std::invalid_argument("an empty sequence has no hidden state");
    lengths.push_back(s.size());
  }
  tensor::ScopedIntraOpThreads threads(passThreads(options, model.config()));
  // Activations of one size come and go every layer: reused large blocks spare the page faults and keep
  // the heap from fragmenting (tensor/tensor_memory.h).
  const tensor::TensorMemoryReuse reuse;
  auto out = at::empty({static_cast<std::int64_t>(sequences.size()), model.config().hiddenSize}, at::kFloat);
  for (const auto& batch : detail::lengthSortedBatches(lengths, options.batchSize)) {
    if (options.cancel) options.cancel->throwIfCancelled();
    std::vector<const std::vector<std::int64_t>*> batchSequences;
    std::vector<const std::vector<float>*> batchMixes;
    for (const auto i : batch) {
      batchSequences.push_back(&sequences[i]);
      batchMixes.push_back(mixes.empty() ? nullptr : &mixes[i]);
    }
    const auto ids = detail::paddedIds(batchSequences);
    const auto mix = detail::mixRows(batchMixes, model.adapterCount());
    const auto hidden = model.hiddenStates(ids, nullptr, mix.defined() ? &mix : nullptr).to(at::kFloat);
    for (std::size_t b = 0; b < batch.size(); ++b) {
      const auto n = static_cast<std::int64_t>(sequences[batch[b]].size());
      out[static_cast<std::int64_t>(batch[b])].copy_(
          hidden[static_cast<std::int64_t>(b)].narrow(0, 0, n).mean(0));
    }
  }
  return out;
}

} // namespace mg::lm
