#pragma once
// Parameter embeddings ("Efficiently Tuned Parameters are Task Embeddings", Zhou et al. 2022): an adapter's
// or fine-tune's task vector is its embedding. Two forms:
//  - exact: the flattened task vector, every changed tensor (s·B·A for a LoRA module, W_ft − W_base for a
//    fine-tune) in name order, zeros where an item leaves a tensor unchanged; for small models;
//  - sketch (default): a seeded random projection to `dimensions` values that keeps inner products in
//    expectation, so cosine similarities match the exact ones up to sampling noise. Each tensor viewed as a
//    matrix M [rows, cols] contributes y_i = u_iᵀ M v_i with Gaussian u_i, v_i drawn per tensor name from
//    the seed; for a LoRA module that is (u_iᵀ B)(A v_i)·s, so the [out, in] delta is never formed and an
//    adapter costs O(d·r·(out + in)) per module. Items are embedded together, one tensor at a time, so the
//    projection of each tensor is drawn once for all of them and the factors of all items go through one
//    matrix product (an item embedded alone or among others agrees to float rounding).
// Adapters and fine-tunes of one base share a space (a LoRA on module m is a change of tensor m.weight).
// An IA³ adapter is embedded by its scaling vectors, as Zhou et al. embed the tuned parameters themselves:
// l − 1 per module (so the untrained adapter, l = 1, is the origin), as the tensor "<module>.ia3_l" in
// PEFT's stored shape ([out, 1], or [1, in] for a feed-forward module). IA³ adapters share those coordinates
// with each other and none with LoRA adapters or fine-tunes (their similarity to them is 0, not a
// comparison through the base); modules_to_save tensors count as for LoRA (given the base).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "weights/cancel.h"
#include "weights/weight_set.h"

namespace mg::io {
class PeftAdapter;
}

namespace mg::embed {

// One item to embed: an adapter (its factors), or dense task vectors (a DeltaValue, or fine-tune − base).
struct TaskVector {
  std::string name;
  std::shared_ptr<const io::PeftAdapter> adapter;
  engine::WeightSetPtr deltas;
  // For an adapter with DoRA magnitudes or whole replaced tensors (modules_to_save), whose change depends on
  // the base: the base it applies to. Without it such an adapter is refused with the reason.
  engine::WeightSetPtr base;
};

struct ParamEmbeddingOptions {
  std::int64_t dimensions = 1024; // 0: exact flattened task vectors
  std::uint64_t seed = 0;
  const engine::CancelToken* cancel = nullptr; // checked between tensors
  std::function<void(double fraction)> progress;
};

// One vector per item, all the same length. Throws std::runtime_error naming the item and tensor when two
// items change a tensor of different shapes, an adapter needs its base, or exact vectors would not fit in
// memory (over 2^31 values in all); engine::Cancelled when cancelled.
std::vector<std::vector<float>> parameterEmbeddings(const std::vector<TaskVector>& items,
                                                    const ParamEmbeddingOptions& options = {});

} // namespace mg::embed
