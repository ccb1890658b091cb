#pragma once
// Which part of a causal LM a process loads: all of it, or one stage of a pipeline over the ranks of an MPI
// job (lm/pipeline_stage.h), as Petals serves a model too large for one machine: consecutive decoder blocks
// on each rank, the embeddings, final norm and LM head with the rank that drives the pipeline.
#include <cstdint>

namespace mg::lm {

struct LayerStage {
  std::int64_t first = 0, end = -1; // the blocks [first, end); end -1: to the last block
  bool ends = true;                 // the embeddings, final norm and LM head too

  bool holds(std::int64_t layer) const { return layer >= first && (end < 0 || layer < end); }
};

} // namespace mg::lm
