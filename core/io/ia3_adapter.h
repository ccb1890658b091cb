#pragma once
// PEFT IA³ adapters (Liu et al. 2022, T-Few): one learned scaling vector `ia3_l` per adapted module.
// A non-feed-forward module scales its output, y = (W·x + b) ⊙ l, stored [out, 1]; a feed-forward one
// (config feedforward_modules) scales its input, y = W·(x ⊙ l) + b, stored [1, in]. Convolutions keep
// [1, channels, 1, 1(, 1)] either way. Layout and merge rules: docs/spec/formats.md "PEFT IA³ adapters".
// io::PeftAdapter (peft_adapter.h) opens IA³ folders; this header has the config, the module view and the
// writer.
#include "io/tensor.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mg::io {

struct Ia3Config {
  std::string peftType = "IA3";
  std::vector<std::string> targetModules; // as listed; a single string (a regex for PEFT) becomes one entry
  bool targetModulesIsString = false;
  std::vector<std::string> feedforwardModules; // a subset of targetModules, or one regex string
  bool feedforwardModulesIsString = false;
  bool fanInFanOut = false; // Conv1D (GPT-2) weights stored [in, out]
  std::vector<std::string> modulesToSave;
  std::string baseModelNameOrPath;
  bool initIa3Weights = true; // training only: vectors start at 1

  // PEFT's IA3Model._check_target_module_feedforward: a regex string must match the whole module name
  // (re.fullmatch); a list entry matches when the module name ends with it (plain suffix, no dot rule).
  bool isFeedforward(const std::string& module) const;

  // Throws IoError naming `file`: peft_type not "IA3", target_modules or feedforward_modules missing,
  // wrong field types, a feedforward module list that is not a subset of target_modules (PEFT refuses it).
  static Ia3Config fromJson(const std::string& jsonText, const std::string& file);
  std::string toJson() const; // pretty-printed adapter_config.json, the fields PEFT writes
};

struct Ia3Module {
  std::string module;     // name inside the base model, e.g. "model.layers.0.mlp.down_proj"
  std::string key;        // the adapter tensor, e.g. "base_model.model.model.layers.0.mlp.down_proj.ia3_l"
  std::string baseTensor; // module + ".weight"
  bool feedforward = false;
  std::vector<std::int64_t> shape; // as stored: [out, 1], [1, in], [1, c, 1, 1], ...
  std::int64_t length = 0;         // the number of scaling values (out, in, or channels)
};

// Writes a PEFT IA³ folder atomically per file (adapter_model.safetensors first, then adapter_config.json).
// `vectors` hold tensors named with ia3Key() (and any modules_to_save replacements under PEFT keys); their
// shapes must follow each module's feed-forward flag in `config`. An empty config.targetModules is filled
// with the exact module names. Throws IoError naming the folder for a vector that would not read back.
void writeIa3Adapter(const std::string& folder, const Ia3Config& config,
                     const std::vector<TensorData>& vectors,
                     const std::map<std::string, std::string>& metadata = {});

// "base_model.model.<module>.ia3_l"
std::string ia3Key(const std::string& module);

// The module of an IA³ key ("base_model.model.<module>.ia3_l", or "...ia3_l.<adapter name>" as saved without
// PEFT's key cleanup); nullopt for any other key.
std::optional<std::string> ia3ModuleOf(const std::string& key);

// Why a stored vector shape does not fit a module with this feed-forward flag ("" when it fits): Linear
// [n, 1] (output) or [1, n] (feed-forward input), convolutions [1, n, 1, 1(, 1)]. `length` gets n.
std::string ia3ShapeProblem(const std::vector<std::int64_t>& shape, bool feedforward, std::int64_t& length);

} // namespace mg::io
