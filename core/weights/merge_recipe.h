#pragma once
// What a merge is made of: a method, an optional base, weighted inputs, parameters (possibly per
// tensor and per layer) and tensors taken whole from one input. Plain data; MergedWeights evaluates it.
#include "weights/weight_set.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mg::engine {

struct MergeInput {
  WeightSetPtr weights;
  double weight = 1.0;
  std::string label; // the path or node name, for messages and provenance
};

// A parameter value for the tensors whose name matches `filter` (std::regex search; empty = every
// tensor). Several values form a per-layer gradient: value at t = layer/(layers−1), interpolated
// linearly; tensors outside numbered layers use the first value. The first matching rule wins.
struct ParamRule {
  std::string name;
  std::string filter;
  std::vector<std::string> values;
};

// Tensors whose name matches `filter` are copied from input `input` (0-based; -1 = the base)
// instead of merged, e.g. task-specific classification heads.
struct TakeRule {
  std::string filter;
  int input = 0;
};

struct MergeRecipe {
  std::string method;
  WeightSetPtr base; // may be null for methods that need none (linear, slerp, multislerp, ...)
  std::string baseLabel;
  std::vector<MergeInput> inputs;
  std::vector<ParamRule> params;
  std::vector<TakeRule> take;
  std::uint64_t seed = 0;
};

// Parses the command-line spelling of a parameter: "NAME=VALUE", "NAME@FILTER=VALUE" and
// "NAME=grad(v0,v1,...)" (a per-layer gradient). Throws std::invalid_argument.
ParamRule parseParamRule(const std::string& text);
// Parses "FILTER=INPUT" (INPUT: 1-based input number, or "base"). Throws std::invalid_argument.
TakeRule parseTakeRule(const std::string& text);

// Layer index of a tensor name (the first dotted component that is a number: "model.layers.7.mlp" → 7),
// or -1 when it has none.
int layerIndexOf(const std::string& tensorName);

} // namespace mg::engine
