#pragma once
// Sparsification of task vectors (spec, task arithmetic steps 2 and 3). Pure functions on float32 tensors.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ops/family_methods.h"
#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

struct SparsifyOptions {
  Sparsifier method = Sparsifier::None;
  double density = 1.0;            // d >= 1 leaves δ unchanged
  double gamma = 0.01;             // MagnitudeOutliers
  double epsilon = 0.15;           // DellaMagprune
  Rescale rescale = Rescale::None; // step 3; applied to the kept entries of any sparsifier
  std::uint64_t seed = 0;          // Random, DellaMagprune (use deriveSeed for one per tensor and input)
  // The compute dtype: magnitude pruning's L1 rescale rounds its norms and their quotient to it, as
  // mergekit's torch code does with bf16 / f16 tensors.
  Precision precision = Precision::F32;
};

// Returns the sparsified (and rescaled) δ. Throws std::invalid_argument when the options keep nothing
// (magnitude k = 0) or are out of range (density <= 0, DELLA without 0 < d−ε and d+ε < 1).
at::Tensor sparsify(const at::Tensor& delta, const SparsifyOptions& options);
// The same on `delta` itself (contiguous float32, owned by the caller), allocating only masks: what the
// merge engine uses so that a merge holds no second copy of each task vector.
void sparsifyInPlace(at::Tensor& delta, const SparsifyOptions& options);

// A seed for one tensor of one input, so that results do not depend on the order tensors are evaluated in
// and each input gets its own mask: a hash of (seed, tensorName, input).
std::uint64_t deriveSeed(std::uint64_t seed, const std::string& tensorName, std::size_t input);

} // namespace mg::ops
