#pragma once
// A mergekit merge configuration (mergekit/config.py, mergekit/tokenizer/config.py) as plain data: what
// yaml_reader.h reads and yaml_writer.h writes. Everything a configuration can say has a place here, so a
// file read and written back means the same merge; what Merganser cannot run is refused by the reader, not
// dropped. Model paths are absolute once read (relative ones are taken from the YAML file's folder).
// Lines are 1-based lines of the file the value was read from (0 when the value was made in code); they
// are for messages only and take no part in comparisons.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "io/io_error.h"

namespace mg::mergekit {

// A model: a local file or folder, optionally with a LoRA adapter folder applied to it (mergekit's
// "path+lora_path").
struct ModelRef {
  std::string path;
  std::string lora; // empty: none
  int line = 0;
  bool operator==(const ModelRef& o) const { return path == o.path && lora == o.lora; }
  bool operator!=(const ModelRef& o) const { return !(*this == o); }
};

// mergekit's ScalarOrGradient (and the booleans and strings evaluate_setting passes through): a number, a
// boolean, a word, or a list of numbers (a per-layer gradient; a one-element list is a gradient too).
using Value = std::variant<double, bool, std::string, std::vector<double>>;

// One entry of a conditional setting: `value` for tensors whose name contains `filter` (no filter or "*":
// every tensor).
struct Conditional {
  std::optional<std::string> filter;
  Value value;
  bool operator==(const Conditional& o) const { return filter == o.filter && value == o.value; }
};

// mergekit's ParameterSetting: a plain value, or conditionals read in order (the first that matches
// wins). A single {filter, value} map is read as a list of one.
struct Setting {
  std::variant<Value, std::vector<Conditional>> form;
  int line = 0;
  bool operator==(const Setting& o) const { return form == o.form; }
  bool operator!=(const Setting& o) const { return !(*this == o); }
};

// A `parameters:` map, in file order (names are unique).
using Parameters = std::vector<std::pair<std::string, Setting>>;

struct InputModel {
  ModelRef model;
  Parameters parameters;
  bool operator==(const InputModel& o) const { return model == o.model && parameters == o.parameters; }
};

struct SliceSource {
  ModelRef model;
  int layerStart = 0; // layer_range: [start, end)
  int layerEnd = 0;
  Parameters parameters;
  bool operator==(const SliceSource& o) const {
    return model == o.model && layerStart == o.layerStart && layerEnd == o.layerEnd &&
           parameters == o.parameters;
  }
};

struct OutputSlice {
  std::vector<SliceSource> sources;
  Parameters parameters;
  int line = 0;
  bool operator==(const OutputSlice& o) const { return sources == o.sources && parameters == o.parameters; }
};

// tokenizer_source / tokenizer.source: "base", "union" or a model.
struct TokenizerSource {
  enum class Kind { Base, Union, Model } kind = Kind::Union;
  ModelRef model; // Kind::Model
  int line = 0;
  bool operator==(const TokenizerSource& o) const {
    return kind == o.kind && (kind != Kind::Model || model == o.model);
  }
  bool operator!=(const TokenizerSource& o) const { return !(*this == o); }
};

// The `tokenizer:` block (its `tokens:` overrides are refused: Merganser cannot run them).
struct TokenizerConfig {
  TokenizerSource source; // default "union", as in mergekit
  std::optional<std::int64_t> padToMultipleOf;
  int line = 0;
  bool operator==(const TokenizerConfig& o) const {
    return source == o.source && padToMultipleOf == o.padToMultipleOf;
  }
};

struct MergekitConfig {
  std::string mergeMethod;
  std::optional<ModelRef> baseModel;
  std::vector<InputModel> models;  // either models...
  std::vector<OutputSlice> slices; // ...or slices
  Parameters parameters;
  std::optional<std::string> dtype; // mergekit's names: "float32", "bfloat16", "float16"
  std::optional<std::string> outDtype;
  std::optional<TokenizerSource> tokenizerSource;
  std::optional<TokenizerConfig> tokenizer;
  std::optional<std::string> chatTemplate; // a template name ("chatml", "auto") or Jinja text
  std::string file;                        // where it was read from, for messages ("" when made in code)

  bool operator==(const MergekitConfig& o) const {
    return mergeMethod == o.mergeMethod && baseModel == o.baseModel && models == o.models &&
           slices == o.slices && parameters == o.parameters && dtype == o.dtype && outDtype == o.outDtype &&
           tokenizerSource == o.tokenizerSource && tokenizer == o.tokenizer && chatTemplate == o.chatTemplate;
  }
  bool operator!=(const MergekitConfig& o) const { return !(*this == o); }
};

// A configuration that cannot be read or translated: what() is one line, "FILE:LINE: KEY: problem" (the
// line left out when unknown). An io::IoError, so callers report it as they report any bad input file.
class ConfigError : public io::IoError {
public:
  ConfigError(const std::string& file, int line, const std::string& problem)
      : io::IoError(line > 0 ? file + ":" + std::to_string(line) : file, problem) {}
};

} // namespace mg::mergekit
