#include "lm/scoring.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "lm/batching.h"
#include "tensor/intra_op_threads.h"
#include "tensor/tensor_memory.h"

namespace mg::lm {

namespace {

// Rows of the LM head computed at once: logits of at most ~4 M values (16 MB), whatever the vocabulary.
std::int64_t headChunk(std::int64_t vocab) {
  return std::max<std::int64_t>(1, (std::int64_t{1} << 22) / vocab);
}

} // namespace

std::vector<SequenceScore> scoreContinuations(const CausalLm& model,
                                              const std::vector<ScoringRequest>& requests,
                                              const RunOptions& options) {
  std::vector<std::size_t> lengths;
  for (const auto& r : requests) {
    if (r.continuationStart < 1 || r.continuationStart >= r.tokens.size())
      throw std::invalid_argument("a scored sequence of " + std::to_string(r.tokens.size()) +
                                  " tokens has its continuation at " + std::to_string(r.continuationStart) +
                                  ": it must start at 1 or later and hold at least one token");
    lengths.push_back(r.tokens.size());
  }
  tensor::ScopedIntraOpThreads threads(passThreads(options, model.config()));
  const at::NoGradGuard noGrad; // scores are numbers: nothing to record even if a weight requires grad
  // Activations of one size come and go every layer: reused large blocks spare the page faults and keep
  // the heap from fragmenting (tensor/tensor_memory.h).
  const tensor::TensorMemoryReuse reuse;
  std::vector<SequenceScore> scores(requests.size());
  const auto vocab = model.config().vocabSize;
  for (const auto& batch : detail::lengthSortedBatches(lengths, options.batchSize)) {
    if (options.cancel) options.cancel->throwIfCancelled();
    std::vector<const std::vector<std::int64_t>*> sequences;
    std::vector<const std::vector<float>*> mixes;
    for (const auto i : batch) {
      sequences.push_back(&requests[i].tokens);
      mixes.push_back(&requests[i].mix);
    }
    const auto ids = detail::paddedIds(sequences);
    const auto mix = detail::mixRows(mixes, model.adapterCount());
    const auto hidden = model.hiddenStates(ids, nullptr, mix.defined() ? &mix : nullptr);
    const auto T = ids.size(1);
    // The rows that predict a scored token: position t predicts token t + 1.
    std::vector<std::int64_t> rows, targets, owners;
    for (std::size_t b = 0; b < batch.size(); ++b) {
      const auto& r = requests[batch[b]];
      for (std::size_t t = r.continuationStart - 1; t + 1 < r.tokens.size(); ++t) {
        rows.push_back(static_cast<std::int64_t>(b) * T + static_cast<std::int64_t>(t));
        targets.push_back(r.tokens[t + 1]);
        owners.push_back(static_cast<std::int64_t>(b));
      }
    }
    const auto flat = hidden.reshape({-1, hidden.size(-1)});
    const auto rowIndex = at::tensor(rows, at::kLong), targetIndex = at::tensor(targets, at::kLong),
               ownerIndex = at::tensor(owners, at::kLong);
    const auto chunk = headChunk(vocab);
    for (std::int64_t begin = 0; begin < rowIndex.size(0); begin += chunk) {
      const auto n = std::min(chunk, rowIndex.size(0) - begin);
      const auto owner = ownerIndex.narrow(0, begin, n);
      const auto rowMix = mix.defined() ? mix.index_select(0, owner) : at::Tensor();
      auto logits = model.logits(flat.index_select(0, rowIndex.narrow(0, begin, n)),
                                 rowMix.defined() ? &rowMix : nullptr);
      const auto target = targetIndex.narrow(0, begin, n);
      const auto picked = logits.gather(1, target.unsqueeze(1)).squeeze(1);
      const auto isArgmax = logits.argmax(1).eq(target);
      // log Σ exp in place (the logits are this loop's own): at::logsumexp would allocate a second
      // [rows, vocab] block for exp(logits - max).
      const auto top = logits.amax({1}, true);
      const auto logNorm = logits.sub_(top).exp_().sum({1}).log_().add_(top.squeeze(1));
      const auto logProb = (picked - logNorm).to(at::kDouble);
      const auto* lp = logProb.data_ptr<double>();
      const auto* best = isArgmax.data_ptr<bool>();
      const auto* who = owner.data_ptr<std::int64_t>();
      for (std::int64_t i = 0; i < n; ++i) {
        auto& score = scores[batch[static_cast<std::size_t>(who[i])]];
        score.logLikelihood += lp[i];
        score.tokens += 1;
        score.greedy = score.greedy && best[i];
      }
    }
  }
  return scores;
}

} // namespace mg::lm
