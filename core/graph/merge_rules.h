#pragma once
// The text forms of what a merge node holds beyond one number per parameter, as the inspector shows and
// edits them and the engine builds its MergeRecipe from them:
//
// "rules": values per input, per layer (gradients) and per tensor (filters), separated by ';' or new lines:
//     [SCOPE:] NAME[@FILTER]=VALUE
//   SCOPE   "models N" (input N of the models group, from 1), "slice S" or "slice S.K" (slice S, its source
//           K, from 1); none: every input and tensor
//   FILTER  a regex searched in the tensor name, or "sub:TEXT" (mergekit's filter: TEXT is a substring of
//           the name, "*" every tensor)
//   VALUE   a number, true/false, a word, or grad(V0,V1,...) (a per-layer gradient)
//   Rules are read in order and the first that matches a tensor wins, so a filtered rule goes before the
//   fallback for the same name and scope: "models 3: weight@sub:mlp=0.5; models 3: weight=0".
//
// "slices": the output's layers as slices of the inputs (mergekit's slices), slices separated by ';', the
// sources of a slice by ',':  SOURCE[START:END]  with SOURCE an input number of the models group or
// "base", e.g. "1[0:24]; 2[20:40]" (layer stacking) or "base[0:40], 1[0:40]" (a merge over the layers).
//
// Plain C++: the graph checks these texts, core/mergekit writes and reads them, the engine runs them.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mg::graph {

struct MergeRuleText {
  enum class Scope { All, Input, Slice, SliceSource } scope = Scope::All;
  std::size_t input = 0;  // Input: 0-based input of the models group
  std::size_t slice = 0;  // Slice, SliceSource: 0-based
  std::size_t source = 0; // SliceSource: 0-based
  std::string name;
  std::string filter;              // as written after '@' ("sub:mlp", "self_attn$"); empty: none
  std::vector<std::string> values; // one value, or a gradient's values
  bool gradient = false;           // written as grad(...) (also with one value)

  // "NAME[@FILTER]=VALUE" without the scope: core/weights' ParamRule spelling (parseParamRule).
  std::string body() const;
  std::string text() const; // with the scope, as parseMergeRules reads it
};

struct SliceSourceText {
  std::optional<std::size_t> input; // 0-based input of the models group; nullopt: the base
  int layerStart = 0;
  int layerEnd = 0;
};
using SliceText = std::vector<SliceSourceText>;

// Whether `method` reads `name` at all (one of its parameters, or a per-input one).
bool mergeTakesParam(const std::string& method, const std::string& name);

// The parameters every merge node has beyond its method's (merge_node_types.cpp): rules, slices, dtype,
// tokenizer_source, tokenizer_model, pad_to_multiple_of, chat_template.
const std::vector<std::string>& mergeRecipeParamNames();
bool isMergeRecipeParam(const std::string& name);

// Both throw std::invalid_argument naming the rule or slice that does not parse.
std::vector<MergeRuleText> parseMergeRules(const std::string& text);
std::vector<SliceText> parseMergeSlices(const std::string& text);
// The texts parse*() read back ("; " between rules and slices).
std::string mergeRulesText(const std::vector<MergeRuleText>& rules);
std::string mergeSlicesText(const std::vector<SliceText>& slices);

} // namespace mg::graph
