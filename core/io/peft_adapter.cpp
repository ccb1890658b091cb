// PEFT LoRA adapter folders: reading, validating against a base, writing.
#include "io/peft_adapter.h"

#include "io/atomic_file.h"
#include "io/io_error.h"
#include "io/peft_config_fields.h"
#include "io/strict_json.h"
#include "io/safetensors_writer.h"
#include "io/text_file.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string_view>

namespace mg::io {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "base_model.model.";

enum class Factor { A, B, EmbeddingA, EmbeddingB, Magnitude };

struct FactorKey {
  std::string module;
  Factor factor;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (std::size_t dot; (dot = s.find('.', begin)) != std::string::npos; begin = dot + 1)
    parts.push_back(s.substr(begin, dot - begin));
  parts.push_back(s.substr(begin));
  return parts;
}

std::string join(std::vector<std::string>::const_iterator first,
                 std::vector<std::string>::const_iterator last) {
  std::string s;
  for (auto it = first; it != last; ++it)
    s += (s.empty() ? "" : ".") + *it;
  return s;
}

std::optional<Factor> factorNamed(const std::string& component) {
  if (component == "lora_A") return Factor::A;
  if (component == "lora_B") return Factor::B;
  if (component == "lora_embedding_A") return Factor::EmbeddingA;
  if (component == "lora_embedding_B") return Factor::EmbeddingB;
  if (component == "lora_magnitude_vector") return Factor::Magnitude;
  return std::nullopt;
}

// Whether what follows the factor component is a form PEFT writes: lora_A/B end in ".weight",
// embeddings have no suffix, DoRA magnitudes have either; any of them may keep an adapter name
// (".lora_A.default.weight") when saved without PEFT's key cleanup.
bool validTail(Factor f, const std::vector<std::string>& tail) {
  const bool endsInWeight = !tail.empty() && tail.back() == "weight";
  switch (f) {
  case Factor::A:
  case Factor::B: return endsInWeight && tail.size() <= 2;
  case Factor::EmbeddingA:
  case Factor::EmbeddingB: return tail.size() <= 1 && !endsInWeight;
  case Factor::Magnitude: return tail.size() <= (endsInWeight ? 2u : 1u);
  }
  return false;
}

// Splits "<module>.<factor>[.<adapter>][.weight]" (the part after base_model.model.); nullopt for
// keys that are not LoRA factors. Throws for keys that name a factor in a form PEFT does not write
// (lora_B.bias from lora_bias=True, ...), which would otherwise be merged as a replacement.
std::optional<FactorKey> parseFactorKey(const std::string& rest, const std::string& key,
                                        const std::string& file) {
  const auto parts = split(rest);
  for (std::size_t i = parts.size(); i-- > 0;) {
    const auto factor = factorNamed(parts[i]);
    if (!factor) continue;
    if (i == 0 || !validTail(*factor, {parts.begin() + long(i) + 1, parts.end()}))
      throw IoError(file, "unsupported LoRA tensor " + quoteName(key));
    return FactorKey{join(parts.begin(), parts.begin() + long(i)), *factor};
  }
  return std::nullopt;
}

// The base tensor a whole-tensor key replaces: PEFT keeps modules_to_save copies under
// "<module>.modules_to_save.<adapter>." when the key was not cleaned up.
std::string replacedTensor(const std::string& rest) {
  const auto parts = split(rest);
  const auto it = std::find(parts.begin(), parts.end(), "modules_to_save");
  if (it == parts.end() || parts.end() - it < 3) return rest;
  std::vector<std::string> kept(parts.begin(), it);
  kept.insert(kept.end(), it + 2, parts.end());
  return join(kept.begin(), kept.end());
}

struct Factors {
  std::optional<std::string> a, b, magnitude;
  bool embeddingA = false, embeddingB = false;
};

void assign(std::optional<std::string>& slot, const std::string& key, const std::string& module,
            const std::string& folder) {
  if (slot)
    throw IoError(folder, "module " + quoteName(module) + " has two tensors for one factor: " +
                              quoteName(*slot) + " and " + quoteName(key));
  slot = key;
}

std::string shapeOf(const TensorInfo& t) {
  return shapeToString(t.shape);
}

// The part of a PEFT key after "base_model.model."; throws for other keys.
std::string afterPrefix(const std::string& key, const std::string& folder) {
  if (key.compare(0, kPrefix.size(), kPrefix) != 0 || key.size() == kPrefix.size())
    throw IoError(folder, "tensor " + quoteName(key) + " is not a PEFT key (base_model.model.<module>...)");
  return key.substr(kPrefix.size());
}

void checkFinite(double alpha, const std::string& what, const std::string& folder) {
  if (!std::isfinite(alpha)) throw IoError(folder, what + " is not a finite number");
}

// Config-level rules that do not depend on the tensors: r > 0 everywhere, every alpha finite.
void validateConfig(const LoraConfig& c, const std::string& folder) {
  if (c.r <= 0) throw IoError(folder, "r must be positive, is " + std::to_string(c.r));
  for (const auto& [key, r] : c.rankPattern)
    if (r <= 0)
      throw IoError(folder, "rank_pattern[" + quoteName(key) + "] must be positive, is " + std::to_string(r));
  checkFinite(c.loraAlpha, "lora_alpha", folder);
  for (const auto& [key, alpha] : c.alphaPattern)
    checkFinite(alpha, "alpha_pattern[" + quoteName(key) + "]", folder);
}

} // namespace

std::string peftKey(const std::string& module, const std::string& factor) {
  // PEFT saves Linear factors and DoRA magnitudes as modules (".weight"), embedding factors as bare
  // parameters.
  const bool isModule = factor == "lora_A" || factor == "lora_B" || factor == "lora_magnitude_vector";
  return std::string(kPrefix) + module + "." + factor + (isModule ? ".weight" : "");
}

PeftAdapter::PeftAdapter(std::string folder) : path_(std::move(folder)) {
  std::error_code ec;
  if (!fs::is_directory(path_, ec))
    throw IoError(path_, fs::exists(path_, ec) ? "not a folder" : "no such folder");
  const std::string configPath = (fs::path(path_) / "adapter_config.json").string();
  const std::string weightsPath = (fs::path(path_) / "adapter_model.safetensors").string();
  if (!fs::exists(configPath, ec)) throw IoError(path_, "not a PEFT adapter: no adapter_config.json");
  if (!fs::exists(weightsPath, ec)) {
    if (fs::exists(fs::path(path_) / "adapter_model.bin", ec))
      throw IoError(path_,
                    "pickled adapter weights (adapter_model.bin) are not loaded; convert to safetensors");
    throw IoError(path_, "no adapter_model.safetensors");
  }
  const std::string configText = readTextFile(configPath);
  if (detail::peftTypeOf(configText, configPath) == "IA3") {
    ia3Config_ = Ia3Config::fromJson(configText, configPath);
    config_.peftType = "IA3";
    config_.r = 0;
    config_.loraAlpha = 0;
    config_.fanInFanOut = ia3Config_.fanInFanOut;
    config_.targetModules = ia3Config_.targetModules;
    config_.targetModulesIsString = ia3Config_.targetModulesIsString;
    config_.modulesToSave = ia3Config_.modulesToSave;
    config_.baseModelNameOrPath = ia3Config_.baseModelNameOrPath;
  } else {
    config_ = LoraConfig::fromJson(configText, configPath);
    validateConfig(config_, path_);
  }
  file_ = std::make_unique<SafetensorsFile>(weightsPath);
  if (isIa3())
    readIa3();
  else
    readLora();
}

void PeftAdapter::addReplacement(const std::string& rest, const std::string& key) {
  const std::string replaced = replacedTensor(rest);
  if (!replacements_.emplace(replaced, key).second)
    throw IoError(path_, "two tensors replace " + quoteName(replaced) + ": " +
                             quoteName(replacements_[replaced]) + " and " + quoteName(key));
}

void PeftAdapter::readLora() {
  std::map<std::string, Factors> byModule; // sorted by module name
  for (const auto& t : file_->tensors()) {
    const std::string rest = afterPrefix(t.name, path_);
    const auto parsed = parseFactorKey(rest, t.name, path_);
    if (!parsed) {
      addReplacement(rest, t.name);
      continue;
    }
    Factors& f = byModule[parsed->module];
    switch (parsed->factor) {
    case Factor::A:
    case Factor::EmbeddingA:
      assign(f.a, t.name, parsed->module, path_);
      f.embeddingA = parsed->factor == Factor::EmbeddingA;
      break;
    case Factor::B:
    case Factor::EmbeddingB:
      assign(f.b, t.name, parsed->module, path_);
      f.embeddingB = parsed->factor == Factor::EmbeddingB;
      break;
    case Factor::Magnitude: assign(f.magnitude, t.name, parsed->module, path_); break;
    }
  }

  for (const auto& [module, f] : byModule) {
    const std::string where = "module " + quoteName(module);
    if (!f.a || !f.b) {
      if (!f.a && !f.b) throw IoError(path_, where + " has a DoRA magnitude but no lora_A/lora_B");
      throw IoError(path_, where + (f.a ? " has lora_A but no lora_B" : " has lora_B but no lora_A"));
    }
    if (f.embeddingA != f.embeddingB)
      throw IoError(path_, where + " mixes embedding and linear factors (" + quoteName(*f.a) + ", " +
                               quoteName(*f.b) + ")");
    const TensorInfo& a = *file_->find(*f.a);
    const TensorInfo& b = *file_->find(*f.b);
    for (const TensorInfo* t : {&a, &b}) {
      if (t->shape.size() != 2) throw IoError(path_, quoteName(t->name) + " must be 2-D, is " + shapeOf(*t));
      if (!isFloatingPoint(t->dtype))
        throw IoError(path_,
                      quoteName(t->name) + " must be floating point, is " + std::string(dtypeName(t->dtype)));
    }
    const std::int64_t rank = a.shape[0];
    const int configRank = config_.rankFor(module);
    if (configRank != rank)
      throw IoError(path_, where + ": rank " + std::to_string(configRank) +
                               " in adapter_config.json (r / rank_pattern) but lora_A has " +
                               std::to_string(rank) + " rows " + shapeOf(a));
    if (b.shape[1] != rank)
      throw IoError(path_, where + ": lora_A has " + std::to_string(rank) + " rows " + shapeOf(a) +
                               " but lora_B has " + std::to_string(b.shape[1]) + " columns " + shapeOf(b));
    if (f.magnitude) {
      const TensorInfo& m = *file_->find(*f.magnitude);
      if (m.shape != std::vector<std::int64_t>{b.shape[0]})
        throw IoError(path_, where + ": DoRA magnitude " + quoteName(m.name) + " must be [" +
                                 std::to_string(b.shape[0]) + "] (one value per lora_B row), is " +
                                 shapeOf(m));
    }
    LoraModule lm;
    lm.module = module;
    lm.baseTensor = module + ".weight";
    lm.loraA = *f.a;
    lm.loraB = *f.b;
    lm.magnitude = f.magnitude;
    lm.embedding = f.embeddingA;
    lm.rank = configRank;
    lm.scaling = config_.scalingFor(module);
    modules_.push_back(std::move(lm));
  }
}

void PeftAdapter::readIa3() {
  std::map<std::string, std::string> byModule; // module -> key, sorted by module name
  for (const auto& t : file_->tensors()) {
    const std::string rest = afterPrefix(t.name, path_);
    const auto module = ia3ModuleOf(t.name);
    if (!module) {
      addReplacement(rest, t.name);
      continue;
    }
    if (!byModule.emplace(*module, t.name).second)
      throw IoError(path_, "module " + quoteName(*module) + " has two IA³ vectors: " +
                               quoteName(byModule[*module]) + " and " + quoteName(t.name));
  }
  for (const auto& [module, key] : byModule) {
    const TensorInfo& t = *file_->find(key);
    Ia3Module m;
    m.module = module;
    m.key = key;
    m.baseTensor = module + ".weight";
    m.feedforward = ia3Config_.isFeedforward(module);
    m.shape = t.shape;
    const std::string problem = ia3ShapeProblem(t.shape, m.feedforward, m.length);
    if (!problem.empty()) throw IoError(path_, "IA³ vector " + quoteName(key) + " " + problem);
    if (!isFloatingPoint(t.dtype))
      throw IoError(path_, "IA³ vector " + quoteName(key) + " must be floating point, is " +
                               std::string(dtypeName(t.dtype)));
    // The vectors are small: reading them now keeps a NaN from surfacing later as a broken model.
    const auto values = file_->load(key).toFloat32();
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!std::isfinite(values[i]))
        throw IoError(path_, "IA³ vector " + quoteName(key) + " has a non-finite value at index " +
                                 std::to_string(i));
    ia3Modules_.push_back(std::move(m));
  }
}

void PeftAdapter::requireLora(const std::string& use) const {
  if (isIa3()) throw IoError(path_, "is an IA³ adapter; " + use + " needs a LoRA adapter");
}

std::vector<std::int64_t> PeftAdapter::weightShape(const LoraModule& m) const {
  const auto& a = file_->find(m.loraA)->shape;
  const auto& b = file_->find(m.loraB)->shape;
  return transposed(m) ? std::vector{a[1], b[0]} : std::vector{b[0], a[1]};
}

void PeftAdapter::validateAgainst(const TensorSource& base) const {
  for (const auto& m : ia3Modules_) {
    const TensorInfo* w = base.find(m.baseTensor);
    if (!w)
      throw IoError(path_, "target module " + quoteName(m.module) + " has no weight " +
                               quoteName(m.baseTensor) + " in base " + base.path());
    const bool linear = w->shape.size() == 2;
    if (w->shape.size() != m.shape.size())
      throw IoError(path_, "IA³ vector " + quoteName(m.key) + " " + shapeToString(m.shape) +
                               " does not fit base weight " + quoteName(m.baseTensor) + " " + shapeOf(*w) +
                               " in base " + base.path());
    // Linear [out, in] ([in, out] with fan_in_fan_out); convolutions [out, in, k...].
    const bool swapped = linear && config_.fanInFanOut;
    const std::int64_t expected = w->shape[(m.feedforward != swapped) ? 1 : 0];
    if (m.length != expected)
      throw IoError(path_, "IA³ vector " + quoteName(m.key) + " has " + std::to_string(m.length) +
                               " values but " + (m.feedforward ? "the input" : "the output") +
                               " size of base weight " + quoteName(m.baseTensor) + " " + shapeOf(*w) +
                               (config_.fanInFanOut ? " (fan_in_fan_out)" : "") + " is " +
                               std::to_string(expected) + " in base " + base.path());
  }
  for (const auto& m : modules_) {
    const TensorInfo* w = base.find(m.baseTensor);
    if (!w)
      throw IoError(path_, "target module " + quoteName(m.module) + " has no weight " +
                               quoteName(m.baseTensor) + " in base " + base.path());
    if (w->shape.size() != 2)
      throw IoError(path_, "base weight " + quoteName(m.baseTensor) + " must be 2-D, is " + shapeOf(*w) +
                               " in base " + base.path());
    const auto& a = file_->find(m.loraA)->shape;
    const auto& b = file_->find(m.loraB)->shape;
    if (w->shape != weightShape(m))
      throw IoError(path_, "module " + quoteName(m.module) + ": lora_B·lora_A " +
                               shapeToString({b[0], a[1]}) + (transposed(m) ? " transposed" : "") +
                               " does not match base weight " + quoteName(m.baseTensor) + " " + shapeOf(*w) +
                               " in base " + base.path());
  }
  for (const auto& [name, key] : replacements_) {
    const TensorInfo* w = base.find(name);
    if (!w)
      throw IoError(path_, "replacement " + quoteName(key) + " has no tensor " + quoteName(name) +
                               " in base " + base.path());
    const TensorInfo& r = *file_->find(key);
    if (r.shape != w->shape)
      throw IoError(path_, "replacement " + quoteName(key) + " is " + shapeOf(r) + " but base tensor " +
                               quoteName(name) + " is " + shapeOf(*w) + " in base " + base.path());
  }
}

void writePeftAdapter(const std::string& folder, const LoraConfig& config,
                      const std::vector<TensorData>& factors,
                      const std::map<std::string, std::string>& metadata) {
  validateConfig(config, folder); // never write an adapter that cannot be read back
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw IoError(folder, "cannot create the adapter folder: " + ec.message());
  LoraConfig written = config;
  // PEFT cannot load an adapter without target_modules: name the adapted modules exactly.
  if (written.targetModules.empty()) {
    std::set<std::string> modules;
    for (const auto& t : factors)
      if (t.info.name.compare(0, kPrefix.size(), kPrefix) == 0)
        if (const auto parsed = parseFactorKey(t.info.name.substr(kPrefix.size()), t.info.name, folder))
          modules.insert(parsed->module);
    written.targetModules.assign(modules.begin(), modules.end());
    written.targetModulesIsString = false;
  }
  // Weights first: a folder whose adapter_config.json exists always has its weights.
  writeSafetensors((fs::path(folder) / "adapter_model.safetensors").string(), factors, metadata);
  writeFileAtomically((fs::path(folder) / "adapter_config.json").string(), written.toJson());
}

} // namespace mg::io
