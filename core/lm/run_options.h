#pragma once
// How the batched LM passes (scoring.h, hidden_states.h, generation.h) run: batch size, LibTorch intra-op
// threads (as elsewhere, tensor::ScopedIntraOpThreads: <= 0 for every core) and cancellation between
// batches or generation steps.
#include <cstddef>

#include "weights/cancel.h"

namespace mg::lm {

struct RunOptions {
  std::size_t batchSize = 8;
  int threads = 0;
  const engine::CancelToken* cancel = nullptr; // checked between batches; throws engine::Cancelled
};

} // namespace mg::lm
