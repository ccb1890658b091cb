#pragma once
// The dtype a merged tensor is computed in and written in (mergekit: `dtype` and `out_dtype`).
#include "weights/merge_recipe.h"
#include "ops/merge_params.h"

#include <vector>

namespace mg::engine {

struct TensorCompute {
  ops::Precision precision = ops::Precision::F32; // what the kernels round to
  io::DType output = io::DType::F32;              // what the merged tensor is listed and written as
};

// For one tensor stored in `stored` by the models that hold it (the base's first when `baseFirst`):
// ComputeDtype::Auto computes as mergekit without `dtype` does, in the dtype the tensors are loaded in: the
// base's (inputs are cast to it), else the inputs' common dtype (float32 when they differ, as torch
// promotes them); an explicit compute dtype is used for every tensor. The output is the recipe's
// outputDtype, else the compute dtype (Auto: the stored dtype, so float64 stays float64 though computed in
// float32).
TensorCompute tensorCompute(const MergeRecipe& recipe, const std::vector<io::DType>& stored, bool baseFirst);

io::DType dtypeOf(ops::Precision precision);

} // namespace mg::engine
