#pragma once
// One entry point, merge(), that checks a call against the method's schema (ops/method_schemas.h) and runs
// the method's kernel on one tensor.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ops/method_schemas.h"

namespace at {
class Tensor;
}

namespace mg::ops {

struct LoraInputs; // ops/knots_merge.h

// The tensor being merged: its name (for messages and to salt random seeds) and whether it is an embedding
// or LM head, whose inputs may differ in vocabulary size and are then cropped to the common sub-matrix.
struct TensorContext {
  std::string name;
  bool isEmbedding = false;
  std::vector<std::string>* warnings = nullptr; // receives warnings (e.g. cropping) when set
  // Methods that merge LoRA factors (MethodInfo::mergesLoraFactors, knots): each input's factors of this
  // tensor, in input order. Without it such a method refuses the call.
  const LoraInputs* lora = nullptr;
  // Data-aware methods (MethodInfo::needsData: fisher, regmean): each input's statistic of this tensor, in
  // input order (its Fisher; the Gram matrix of a dense layer's inputs), undefined where it has none.
  // Without it such a method refuses the call.
  const std::vector<at::Tensor>* statistics = nullptr;

  TensorContext(std::string tensorName = {}, bool embedding = false,
                std::vector<std::string>* warningSink = nullptr)
      : name(std::move(tensorName)), isEmbedding(embedding), warnings(warningSink) {}
  TensorContext(const char* tensorName) : name(tensorName) {}
};

// Merges one tensor: inputs θ_i (any float dtype; computed in float32, the caller casts the result), an
// optional base θ0 and one weight per input (empty: all 1). Checks the method's requirements ("slerp needs
// exactly 2 inputs (a base counts as one), got 3"), the parameters and the shapes. Errors are
// std::invalid_argument (bad call or parameters) or std::runtime_error, prefixed with the tensor name.
// Inputs passed with std::move and held nowhere else may be overwritten as working memory.
at::Tensor merge(const std::string& method, std::vector<at::Tensor> inputs,
                 const std::optional<at::Tensor>& base, const std::vector<double>& weights,
                 const MergeParams& params, const TensorContext& context);

} // namespace mg::ops
