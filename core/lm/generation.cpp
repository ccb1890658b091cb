#include "lm/generation.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

#include "lm/batching.h"
#include "tensor/intra_op_threads.h"
#include "tensor/tensor_memory.h"

namespace mg::lm {

Generation generateGreedy(const CausalLm& model, const std::vector<std::int64_t>& prompt,
                          const GenerationOptions& options) {
  if (prompt.empty()) throw std::invalid_argument("generation needs a prompt of at least one token");
  tensor::ScopedIntraOpThreads threads(passThreads(options.run, model.config()));
  // Activations of one size come and go every layer: reused large blocks spare the page faults and keep
  // the heap from fragmenting (tensor/tensor_memory.h).
  const tensor::TensorMemoryReuse reuse;
  const auto& eos = options.eosIds.empty() ? model.config().eosTokenIds : options.eosIds;
  const auto mix = detail::mixRows({&options.mix}, model.adapterCount());
  const auto* mixPtr = mix.defined() ? &mix : nullptr;
  KvCache cache(static_cast<std::int64_t>(prompt.size()) + options.maxNewTokens);
  std::vector<std::int64_t> sequence = prompt;
  Generation out;
  // The first step feeds the prompt; with the cache each later step feeds only the last token.
  auto ids = detail::paddedIds({&sequence});
  while (static_cast<std::int64_t>(out.tokens.size()) < options.maxNewTokens) {
    if (options.run.cancel) options.run.cancel->throwIfCancelled();
    const auto hidden = model.hiddenStates(ids, options.useCache ? &cache : nullptr, mixPtr);
    const auto next =
        model.logits(hidden.select(1, hidden.size(1) - 1), mixPtr).argmax(-1).item<std::int64_t>();
    if (std::find(eos.begin(), eos.end(), next) != eos.end()) {
      out.stoppedBy = Generation::Stop::Eos;
      return out;
    }
    out.tokens.push_back(next);
    sequence.push_back(next);
    if (options.stop && options.stop(out.tokens)) {
      out.stoppedBy = Generation::Stop::Predicate;
      return out;
    }
    ids = options.useCache ? at::full({1, 1}, next, at::kLong) : detail::paddedIds({&sequence});
  }
  out.stoppedBy = Generation::Stop::Length;
  return out;
}

} // namespace mg::lm
