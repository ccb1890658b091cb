#pragma once
// The registry of merge methods' schemas: each method's name, inputs and parameters, which the CLI and the
// GUI show and parse and the graph validates against. Plain C++, no LibTorch: the kernels that run them are
// in ops/merge_method.h (one per schema that does not need data).
#include <cstddef>
#include <string>
#include <vector>

#include "ops/merge_params.h"

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
  bool needsData = false; // fisher, regmean: need per-input statistics of task data (MergeInput::statistics)
  bool mergesLoraFactors = false; // knots: its inputs must be LoRA adapters, merged through their factors
  std::vector<ParamSpec> params;  // the parameters it takes, with its own defaults

  // nullptr if the method does not take `name`.
  const ParamSpec* param(const std::string& name) const;
  // The same, also by an earlier name (ParamSpec::aliases): "row_wise" finds model_stock's filter_wise.
  const ParamSpec* findParam(const std::string& nameOrAlias) const;
};

const std::vector<MethodInfo>& mergeMethods();
// The parameters a merge can read per model (mergekit's tensor_parameters() over all methods): weight,
// density, gamma, epsilon, scale. Which of them a given method reads: perModelParamsOf.
const std::vector<std::string>& perModelParamNames();
// Those of perModelParamNames() that `method` reads: weight when it uses weights, the others when it takes
// them.
std::vector<std::string> perModelParamsOf(const std::string& method);
std::vector<std::string> mergeMethodNames();
// Throws std::invalid_argument "unknown merge method 'x'" listing the known ones.
const MethodInfo& mergeMethod(const std::string& name);

// Parses NAME=VALUE assignments for `method` (a NAME may be an earlier alias): unknown names, repeated names,
// bad values and out-of-range values throw std::invalid_argument ("unknown parameter 'x' for method ties
// (takes: ...)").
MergeParams parseMergeParams(const std::string& method, const std::vector<std::string>& assignments);
// Range-checks the parameters `method` takes, for params built in code.
void validateMergeParams(const std::string& method, const MergeParams& params);

} // namespace mg::ops
