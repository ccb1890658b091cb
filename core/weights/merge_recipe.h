#pragma once
// What a merge is made of: a method, an optional base, inputs with their per-model parameters, recipe-wide
// parameters (each possibly per tensor and per layer), tensors taken whole from one input, the dtype the
// arithmetic runs in, and optionally output slices (mergekit's `slices`: layer stacking and per-slice
// merges). Plain data; MergedWeights evaluates it. mergekit's YAML maps onto it one to one (see
// docs/spec/merge-methods.md, "Per-tensor parameter overrides" and "Slices").
#include "weights/weight_set.h"
#include "io/dtype.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mg::engine {

// How a ParamRule's filter is matched against a tensor name.
enum class FilterSyntax : std::uint8_t {
  Regex,    // std::regex search; the CLI's NAME@FILTER=... and the graph's rules
  Mergekit, // mergekit's conditional parameter: the filter is a plain substring of the tensor name
            // (`filter in tensor_name`); "*" matches every tensor
};

// One value of a parameter for the tensors whose name matches `filter` (empty = every tensor).
// `values` holds one value, or several forming a per-layer gradient: numbers are interpolated linearly at
// the tensor's position t (mergekit: t = i/(n−1) for layer i of the n layers of its slice, 1 when n = 1,
// 0 for tensors outside the layers); non-numeric values are stepped (values[int(t·(n−1))]).
// A list of rules is read in order and the first rule of a name that matches wins, so mergekit's
// `name: [{filter: a, value: x}, {value: y}]` is two consecutive rules and a plain `name: x` one rule
// without filter. Values are text ("0.5", "true", "l1"), checked by the method's parameter parser.
struct ParamRule {
  std::string name;
  std::string filter;
  std::vector<std::string> values;
  FilterSyntax syntax = FilterSyntax::Regex;
};

// A model of the merge. `params` are its per-model rules (mergekit: models[].parameters): `weight`,
// `density`, `gamma`, `epsilon`, `scale` (the names listed by ops::perModelParamNames()). A per-model value
// is looked up in: the input's rules, then (with slices) its slice's rules, then the recipe-wide rules; for
// `weight`, `weight` below is the last fallback.
struct MergeInput {
  WeightSetPtr weights;
  double weight = 1.0;
  std::string label; // the path or node name, for messages and provenance
  std::vector<ParamRule> params;
  // The Hugging Face model folder this input comes from (its config.json and tokenizer files), empty when
  // it is a bare checkpoint or a graph value; read only when the recipe's tokenizer or chat template needs
  // it.
  std::string folder = {};
  // Data-aware methods (fisher, regmean): this input's statistics on its task, one tensor per tensor it
  // informs (its Fisher; a dense layer's input Gram matrix, under the weight's name); see
  // embed/merge_statistics.h. Required by those methods, ignored by the others.
  WeightSetPtr statistics = nullptr;
};

// Tensors whose name matches `filter` are copied from input `input` (0-based; -1 = the base)
// instead of merged, e.g. task-specific classification heads.
struct TakeRule {
  std::string filter;
  int input = 0;
};

// The dtype the merge arithmetic runs in (mergekit: `dtype`).
enum class ComputeDtype : std::uint8_t {
  Auto, // mergekit without `dtype`: the dtype the tensors are stored in (the base's, else the first
        // input's; inputs are rounded to it), e.g. bf16 for a bf16 checkpoint
  F32,
  BF16,
  F16,
};

// One source of an output slice (mergekit: slices[].sources[]): layers [layerStart, layerEnd) of input
// `input` (0-based index into MergeRecipe::inputs; -1 = the base).
struct SliceSource {
  int input = 0;
  int layerStart = 0;
  int layerEnd = 0;
  std::vector<ParamRule> params; // this source's per-model rules, read before the input's own
};

// One output slice (mergekit: slices[]): its sources all span the same number of layers; output layer k of
// the slice merges layer layerStart+k of every source (passthrough: exactly one source, copied).
// Output layers are numbered consecutively across slices; tensors before the layers (embeddings) come
// from the first slice's sources, tensors after them (final norm, LM head) from the last slice's.
struct OutputSlice {
  std::vector<SliceSource> sources;
  std::vector<ParamRule> params; // mergekit: slices[].parameters, read before the recipe-wide rules
};

// Where the output's vocabulary comes from: mergekit's `tokenizer_source: base|union|<model>`, or
// `tokenizer: {source: ..., pad_to_multiple_of: N}` (its `tokens:` overrides are not supported).
enum class TokenizerSource : std::uint8_t {
  None,  // no tokenizer_source: embeddings of different vocabulary sizes are cropped (or padded) by the
         // method's rule (docs/spec/merge-methods.md, "Tensors, vocabularies and tokenizers"); the base's
         // (else the first input's) tokenizer files are copied
  Base,  // the base's tokenizer (first input's without a base), tokens beyond its config vocab_size dropped
  Union, // the base's tokenizer plus every token another input has (appended as added tokens)
  Model, // the tokenizer of the model folder `TokenizerRecipe::model` (an input or any other folder)
};

struct TokenizerRecipe {
  TokenizerSource source = TokenizerSource::None;
  std::string model;       // the folder, for TokenizerSource::Model (mergekit: tokenizer_source: PATH)
  int padToMultipleOf = 0; // mergekit: tokenizer.pad_to_multiple_of; 0 = no padding rows
  // mergekit's `chat_template`: empty (keep the tokenizer's), a name (alpaca, chatml, exaone, llama3,
  // mistral), "auto" (the template most inputs share) or a literal Jinja template. Written into the
  // output's tokenizer_config.json; works with or without a tokenizer source.
  std::string chatTemplate;
};

struct MergeRecipe {
  std::string method;
  WeightSetPtr base; // may be null for methods that need none (linear, slerp, multislerp, ...)
  std::string baseLabel;
  std::vector<MergeInput> inputs;
  std::vector<ParamRule> params; // recipe-wide rules (mergekit: parameters); per-model names too
  std::vector<TakeRule> take;
  std::uint64_t seed = 0;
  ComputeDtype computeDtype = ComputeDtype::Auto;
  // The dtype of the merged tensors (mergekit: out_dtype). Unset: the compute dtype when one is set,
  // else the stored dtype of the base (else first input), as mergekit writes them.
  std::optional<io::DType> outputDtype;
  // Empty: every layer of every input (mergekit's `models` form). Otherwise the output is these slices.
  std::vector<OutputSlice> slices;
  std::string baseFolder;    // the base's model folder, like MergeInput::folder
  TokenizerRecipe tokenizer; // the output's vocabulary and chat template
};

// Parses the command-line spelling of a parameter: "NAME=VALUE", "NAME@FILTER=VALUE" and
// "NAME=grad(v0,v1,...)" (a per-layer gradient); FILTER is a regex, or "sub:TEXT" for mergekit's
// substring filter. Throws std::invalid_argument.
ParamRule parseParamRule(const std::string& text);
// Parses "N:NAME[@FILTER]=VALUE|grad(...)", a per-model rule of input N (1-based); returns (N−1, rule).
// Throws std::invalid_argument.
std::pair<int, ParamRule> parseModelParamRule(const std::string& text);
// Parses "FILTER=INPUT" (INPUT: 1-based input number, or "base"). Throws std::invalid_argument.
TakeRule parseTakeRule(const std::string& text);
// "auto", "f32"/"float32", "bf16"/"bfloat16", "f16"/"float16". Throws std::invalid_argument.
ComputeDtype parseComputeDtype(const std::string& text);
std::string toString(ComputeDtype dtype);

// Whether `name` is one of ops::perModelParamNames().
bool isPerModelParam(const std::string& name);

// Layer index of a tensor name (the first dotted component that is a number: "model.layers.7.mlp" → 7),
// or -1 when it has none.
int layerIndexOf(const std::string& tensorName);

} // namespace mg::engine
