#pragma once
// The registry of merge methods: each method's schema (what the CLI and GUI show and parse) and one entry
// point, merge(), that checks a call against the schema and runs the method on one tensor.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

enum class BaseUse {
  Required, // task vector methods
  Optional, // slerp (the base is the first endpoint), nuslerp / multislerp / karcher (on task vectors)
  Unused    // linear, passthrough: giving a base is an error (add it as a weighted input instead)
};

struct MethodInfo {
  std::string name;  // as in mergekit: "ties", "dare_linear", ...
  std::string title; // for menus: "TIES"
  std::string description;
  BaseUse base = BaseUse::Unused;
  std::size_t minInputs = 1;
  std::size_t maxInputs = 0;      // 0: no limit
  bool baseCountsAsInput = false; // slerp: a base, when given, is one of the inputs counted
  bool usesWeights = true;        // false: per-input weights are ignored
  bool needsData = false;         // fisher, regmean: need evaluation data, not runnable on weights alone
  std::vector<ParamSpec> params;  // the parameters it takes, with its own defaults

  // nullptr if the method does not take `name`.
  const ParamSpec* param(const std::string& name) const;
};

// The tensor being merged: its name (for messages and to salt random seeds) and whether it is an embedding
// or LM head, whose inputs may differ in vocabulary size and are then cropped to the common sub-matrix.
struct TensorContext {
  std::string name;
  bool isEmbedding = false;
  std::vector<std::string>* warnings = nullptr; // receives warnings (e.g. cropping) when set

  TensorContext(std::string tensorName = {}, bool embedding = false,
                std::vector<std::string>* warningSink = nullptr)
      : name(std::move(tensorName)), isEmbedding(embedding), warnings(warningSink) {}
  TensorContext(const char* tensorName) : name(tensorName) {}
};

const std::vector<MethodInfo>& mergeMethods();
std::vector<std::string> mergeMethodNames();
// Throws std::invalid_argument "unknown merge method 'x'" listing the known ones.
const MethodInfo& mergeMethod(const std::string& name);

// Parses NAME=VALUE assignments for `method`: unknown names, repeated names, bad values and out-of-range
// values throw std::invalid_argument ("unknown parameter 'x' for method ties (takes: ...)").
MergeParams parseMergeParams(const std::string& method, const std::vector<std::string>& assignments);
// Range-checks the parameters `method` takes, for params built in code.
void validateMergeParams(const std::string& method, const MergeParams& params);

// Merges one tensor: inputs θ_i (any float dtype; computed in float32, the caller casts the result), an
// optional base θ0 and one weight per input (empty: all 1). Checks the method's requirements ("slerp needs
// exactly 2 inputs (a base counts as one), got 3"), the parameters and the shapes. Errors are
// std::invalid_argument (bad call or parameters) or std::runtime_error, prefixed with the tensor name.
// Inputs passed with std::move and held nowhere else may be overwritten as working memory.
at::Tensor merge(const std::string& method, std::vector<at::Tensor> inputs,
                 const std::optional<at::Tensor>& base, const std::vector<double>& weights,
                 const MergeParams& params, const TensorContext& context);

} // namespace mg::ops
