#pragma once
// How the batched LM passes (scoring.h, hidden_states.h, generation.h) run: batch size, LibTorch intra-op
// threads (as elsewhere, tensor::ScopedIntraOpThreads: <= 0 for every core) and cancellation between
// batches or generation steps.
#include <cstddef>

#include "lm/lm_config.h"
#include "weights/cancel.h"

namespace mg::lm {

struct RunOptions {
  std::size_t batchSize = 8;
  int threads = 0;
  const engine::CancelToken* cancel = nullptr; // checked between batches; throws engine::Cancelled
};

// The intra-op threads a pass over `config`'s model runs on: `threads` when set; else every core, except for
// models too small to gain from splitting an op (hidden size below 256, such as the text demo zoo's), which
// run on one thread: their ops take microseconds, and threads waiting on each other at every op cost more
// than they save (ten times slower than one thread on a busy two-core machine).
inline int passThreads(const RunOptions& options, const LmConfig& config) {
  if (options.threads > 0) return options.threads;
  return config.hiddenSize < 256 ? 1 : 0;
}

} // namespace mg::lm
