#pragma once
// A PEFT adapter folder: adapter_config.json + adapter_model.safetensors, LoRA ("peft_type": "LORA") or IA³
// ("IA3", io/ia3_adapter.h). As a TensorSource it lists the adapter's own tensors (keys as stored). modules()
// gives the structured view of a LoRA: one entry per adapted module with its A/B factors, rank and scaling;
// ia3Modules() that of an IA³ (modules() is then empty: code that only knows LoRA calls requireLora()).
#include "io/ia3_adapter.h"
#include "io/safetensors_file.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mg::io {

struct LoraConfig {
  std::string peftType = "LORA";
  int r = 8;
  double loraAlpha = 8;
  bool useRslora = false;
  double loraDropout = 0; // training only: merging and applying ignore it
  bool fanInFanOut = false;
  bool useDora = false;
  std::string bias = "none";
  std::vector<std::string> targetModules; // as listed; a single string ("all-linear") becomes one entry
  bool targetModulesIsString = false;     // target_modules was that single string (a regex for PEFT)
  std::vector<std::pair<std::string, int>> rankPattern;     // in file order: first match wins
  std::vector<std::pair<std::string, double>> alphaPattern; // in file order: first match wins
  std::vector<std::string> modulesToSave;
  std::string baseModelNameOrPath;

  // Rank and alpha of a module (e.g. "model.layers.0.self_attn.q_proj"): the first pattern key k
  // whose regex (.*\.)?(k)$ matches the module name wins, else r / lora_alpha.
  int rankFor(const std::string& module) const;
  double alphaFor(const std::string& module) const;
  // alpha / r, or alpha / sqrt(r) with rsLoRA.
  double scalingFor(const std::string& module) const;

  static LoraConfig fromJson(const std::string& jsonText, const std::string& file); // throws IoError
  std::string toJson() const; // pretty-printed adapter_config.json
};

struct LoraModule {
  std::string module;                   // name inside the base model, e.g. "model.layers.0.self_attn.q_proj"
  std::string baseTensor;               // module + ".weight"
  std::string loraA, loraB;             // adapter tensor names
  std::optional<std::string> magnitude; // DoRA lora_magnitude_vector
  bool embedding = false;               // lora_embedding_A/B: delta is (B·A)ᵀ
  int rank = 0;
  double scaling = 1.0;
};

class PeftAdapter final : public TensorSource {
public:
  // Reads and validates config and factors (r vs A rows, A rows vs B cols, r > 0, finite alpha); for IA³
  // the config and every vector (shape per feed-forward flag, floating point, finite values).
  explicit PeftAdapter(std::string folder); // throws IoError
  SourceKind kind() const override { return SourceKind::PeftAdapter; }
  const std::string& path() const override { return path_; }
  const std::vector<TensorInfo>& tensors() const override { return file_->tensors(); }
  const std::map<std::string, std::string>& metadata() const override { return file_->metadata(); }
  TensorData load(const std::string& name) const override { return file_->load(name); }

  // "LORA" or "IA3".
  const std::string& peftType() const { return config_.peftType; }
  bool isIa3() const { return config_.peftType == "IA3"; }
  // Throws IoError naming the folder when this is an IA³ adapter: `use` (e.g. "a LoRA concatenation") needs
  // LoRA factors.
  void requireLora(const std::string& use) const;

  // For an IA³ adapter only fanInFanOut, targetModules, modulesToSave and baseModelNameOrPath are set (r 0).
  const LoraConfig& config() const { return config_; }
  const std::vector<LoraModule>& modules() const { return modules_; }
  // IA³ adapters: the config and one entry per module in module-name order (empty for LoRA).
  const Ia3Config& ia3Config() const { return ia3Config_; }
  const std::vector<Ia3Module>& ia3Modules() const { return ia3Modules_; }
  // Whole tensors that replace the base's (modules_to_save, trained biases): base name -> adapter key.
  const std::map<std::string, std::string>& replacements() const { return replacements_; }
  // The shape of the base weight a module's update applies to, known from its factors alone: B·A is
  // [out, in], stored transposed ([in, out]) for fan_in_fan_out (Conv1D) and embedding weights.
  std::vector<std::int64_t> weightShape(const LoraModule& m) const;
  // Whether a module's weight is stored transposed to B·A (fan_in_fan_out or an embedding).
  bool transposed(const LoraModule& m) const { return m.embedding || config_.fanInFanOut; }
  // Checks the adapter against a base model without loading data: every target module exists in the
  // base with a 2-D weight whose shape matches B·A (after fan_in_fan_out / embedding transposes),
  // DoRA magnitudes have one value per output row, replacements match base shapes. IA³: every module has a
  // 2-D (Linear) or 4-/5-D (convolution) weight whose output (input, for feed-forward modules) size is the
  // vector's length, after fan_in_fan_out.
  // Throws IoError naming the adapter folder, the tensor and the reason.
  void validateAgainst(const TensorSource& base) const;

private:
  void readLora();
  void readIa3();
  void addReplacement(const std::string& rest, const std::string& key); // a whole-tensor key

  std::string path_;
  LoraConfig config_;
  Ia3Config ia3Config_;
  std::vector<Ia3Module> ia3Modules_;
  std::unique_ptr<SafetensorsFile> file_;
  std::vector<LoraModule> modules_;
  std::map<std::string, std::string> replacements_;
};

// Writes a PEFT adapter folder atomically per file (adapter_config.json, adapter_model.safetensors).
// `factors` hold tensors named with PEFT keys (base_model.model.<module>.lora_A.weight, ...).
void writePeftAdapter(const std::string& folder, const LoraConfig& config,
                      const std::vector<TensorData>& factors,
                      const std::map<std::string, std::string>& metadata = {});

// "base_model.model.<module>.lora_A.weight" for a module name and factor ("lora_A", "lora_B", ...).
std::string peftKey(const std::string& module, const std::string& factor);

} // namespace mg::io
