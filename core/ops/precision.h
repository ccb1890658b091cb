#pragma once
// The dtype a merge's arithmetic runs in (mergekit computes in the checkpoint's dtype, usually bf16). The
// kernels keep float32 storage and round every intermediate result to the compute dtype where mergekit's
// torch code produces one: the same numbers as bf16 / f16 arithmetic, since torch's CPU kernels for those
// dtypes compute each operation in float32 and round its result.
#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// Rounds float32 values to the nearest value of `precision` (ties to even), in place; nothing for F32.
void roundInPlace(at::Tensor& tensor, Precision precision);
// A float32 tensor rounded to `precision` (the same tensor for F32).
at::Tensor rounded(const at::Tensor& tensor, Precision precision);
// One number rounded to `precision` (a weight, as mergekit's torch.tensor(weights, dtype=...)).
float roundValue(float value, Precision precision);
const char* toString(Precision precision);

} // namespace mg::ops
