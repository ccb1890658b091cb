#include "weights/compute_dtype.h"

#include <algorithm>

namespace mg::engine {
namespace {

ops::Precision precisionOf(io::DType dtype) {
  if (dtype == io::DType::BF16) return ops::Precision::BF16;
  if (dtype == io::DType::F16) return ops::Precision::F16;
  return ops::Precision::F32; // float32, and wider or narrower types the kernels compute in float32
}

// The dtype mergekit's tensors are in when it does not convert them.
io::DType loadedDtype(const std::vector<io::DType>& stored, bool baseFirst) {
  if (stored.empty()) return io::DType::F32;
  if (baseFirst || std::all_of(stored.begin(), stored.end(), [&](io::DType d) { return d == stored[0]; }))
    return stored[0];
  const bool wide = std::find(stored.begin(), stored.end(), io::DType::F64) != stored.end();
  return wide ? io::DType::F64 : io::DType::F32;
}

} // namespace

io::DType dtypeOf(ops::Precision precision) {
  switch (precision) {
  case ops::Precision::BF16: return io::DType::BF16;
  case ops::Precision::F16: return io::DType::F16;
  case ops::Precision::F32: break;
  }
  return io::DType::F32;
}

TensorCompute tensorCompute(const MergeRecipe& recipe, const std::vector<io::DType>& stored, bool baseFirst) {
  TensorCompute c;
  io::DType computed = io::DType::F32;
  switch (recipe.computeDtype) {
  case ComputeDtype::Auto: computed = loadedDtype(stored, baseFirst); break;
  case ComputeDtype::F32: computed = io::DType::F32; break;
  case ComputeDtype::BF16: computed = io::DType::BF16; break;
  case ComputeDtype::F16: computed = io::DType::F16; break;
  }
  c.precision = precisionOf(computed);
  c.output = recipe.outputDtype.value_or(computed);
  return c;
}

} // namespace mg::engine
