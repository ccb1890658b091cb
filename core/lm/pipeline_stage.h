#pragma once
// A causal LM too large for one machine, spread over the ranks of an MPI job as a pipeline (as Petals
// serves one): rank r holds consecutive decoder blocks; rank 0 also holds the embeddings, final norm and LM
// head and drives: it embeds a batch, runs its blocks, sends the activations to rank 1, which runs its
// blocks and sends them on, and the last rank sends them back to rank 0 for the norm and the logits. Only
// activations [B, T, hidden] travel, exactly (raw bytes), so every log-likelihood is one process's.
//
// Messages: 'F' + start position, shape and dtype + the activations; 'E' + an error (passed on to rank 0,
// which throws it); 'Q' (rank 0 is done: each rank passes it on and stops serving).
#include <string>

#include "lm/causal_lm.h"

namespace mg::cluster {
class Communicator;
}

namespace mg::lm {

// The blocks rank `rank` of `ranks` holds of a model with `layers` blocks: consecutive parts, as even as
// whole blocks allow; rank 0 holds the ends too.
LayerStage pipelineStage(std::int64_t layers, int rank, int ranks);

// On rank 0: `model` (loaded with pipelineStage(.., 0, ..)) sends its activations through the other ranks.
void driveThroughRanks(CausalLm& model, cluster::Communicator& ranks);
// On rank 0 when its work is done or failed: the other ranks stop serving. Call exactly once.
void stopPipeline(cluster::Communicator& ranks);
// On the other ranks: runs `model`'s blocks on every batch that comes until rank 0 stops the pipeline.
// `model` null: this rank could not load its stage, and `loadError` is the answer to every batch.
void servePipeline(const CausalLm* model, const std::string& loadError, cluster::Communicator& ranks);

} // namespace mg::lm
