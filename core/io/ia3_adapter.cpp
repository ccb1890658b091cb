// PEFT IA³ adapters: adapter_config.json fields, key names, vector shapes, writing.
#include "io/ia3_adapter.h"

#include "io/atomic_file.h"
#include "io/peft_config_fields.h"
#include "io/safetensors_writer.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace mg::io {

namespace {

constexpr const char* kIa3Prefix = "base_model.model.";
constexpr const char* kVector = ".ia3_l";

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void checkRegex(const std::vector<std::string>& values, bool isString, const char* field,
                const std::string& file) {
  if (!isString) return;
  try {
    std::regex(values.front(), std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    throw IoError(file, "field " + quoteName(field) + " is not a valid regular expression");
  }
}

detail::ojson modulesJson(const std::vector<std::string>& values, bool isString) {
  if (isString && values.size() == 1) return values.front();
  return values;
}

} // namespace

bool Ia3Config::isFeedforward(const std::string& module) const {
  if (feedforwardModulesIsString)
    return !feedforwardModules.empty() &&
           std::regex_match(module, std::regex(feedforwardModules.front(), std::regex::ECMAScript));
  return std::any_of(feedforwardModules.begin(), feedforwardModules.end(),
                     [&](const std::string& f) { return endsWith(module, f); });
}

Ia3Config Ia3Config::fromJson(const std::string& jsonText, const std::string& file) {
  const detail::ojson doc = detail::parseConfigObject(jsonText, file);
  const detail::Fields f(doc, file);
  const detail::ojson* type = f.get("peft_type");
  if (!type || !type->is_string() || type->get<std::string>() != "IA3")
    throw IoError(file, "peft_type must be \"IA3\" for an IA³ adapter, is " +
                            (!type ? std::string("(missing)") : type->dump()));
  Ia3Config c;
  // PEFT fills both from the model type when a config is made, and always saves them: a saved adapter
  // without them cannot say which vectors scale inputs.
  for (const char* key : {"target_modules", "feedforward_modules"})
    if (!f.get(key)) throw IoError(file, "field " + quoteName(key) + " is missing (an IA³ adapter needs it)");
  c.targetModulesIsString = f.read("target_modules", c.targetModules);
  c.feedforwardModulesIsString = f.read("feedforward_modules", c.feedforwardModules);
  checkRegex(c.targetModules, c.targetModulesIsString, "target_modules", file);
  checkRegex(c.feedforwardModules, c.feedforwardModulesIsString, "feedforward_modules", file);
  if (!c.targetModulesIsString && !c.feedforwardModulesIsString)
    for (const auto& m : c.feedforwardModules)
      if (std::find(c.targetModules.begin(), c.targetModules.end(), m) == c.targetModules.end())
        throw IoError(file, "feedforward module " + quoteName(m) + " is not in target_modules");
  f.read("fan_in_fan_out", c.fanInFanOut);
  f.read("init_ia3_weights", c.initIa3Weights);
  if (f.read("modules_to_save", c.modulesToSave)) f.wrongType("modules_to_save", "null or a list of strings");
  f.read("base_model_name_or_path", c.baseModelNameOrPath);
  return c;
}

std::string Ia3Config::toJson() const {
  detail::ojson j;
  j["peft_type"] = peftType;
  j["task_type"] = nullptr;
  j["target_modules"] = modulesJson(targetModules, targetModulesIsString);
  j["feedforward_modules"] = modulesJson(feedforwardModules, feedforwardModulesIsString);
  j["exclude_modules"] = nullptr;
  j["fan_in_fan_out"] = fanInFanOut;
  j["modules_to_save"] = modulesToSave.empty() ? detail::ojson(nullptr) : detail::ojson(modulesToSave);
  j["init_ia3_weights"] = initIa3Weights;
  j["base_model_name_or_path"] =
      baseModelNameOrPath.empty() ? detail::ojson(nullptr) : detail::ojson(baseModelNameOrPath);
  j["revision"] = nullptr;
  j["inference_mode"] = true;
  return j.dump(2) + "\n";
}

std::string ia3Key(const std::string& module) {
  return kIa3Prefix + module + kVector;
}

std::optional<std::string> ia3ModuleOf(const std::string& key) {
  const std::string prefix = kIa3Prefix;
  if (key.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  const std::string rest = key.substr(prefix.size());
  // ".ia3_l" at the end, or followed by one adapter-name component.
  const auto at = rest.rfind(kVector);
  if (at == std::string::npos || at == 0) return std::nullopt;
  const std::string tail = rest.substr(at + std::string(kVector).size());
  if (!tail.empty() && (tail[0] != '.' || tail.size() == 1 || tail.find('.', 1) != std::string::npos))
    return std::nullopt;
  return rest.substr(0, at);
}

std::string ia3ShapeProblem(const std::vector<std::int64_t>& shape, bool feedforward, std::int64_t& length) {
  const std::string kind = feedforward ? "a feed-forward" : "a non-feed-forward";
  if (shape.size() == 2) {
    const int unit = feedforward ? 0 : 1;
    length = shape[1 - unit];
    if (shape[unit] == 1 && length > 0) return "";
    return "must be " + std::string(feedforward ? "[1, in]" : "[out, 1]") + " for " + kind +
           " Linear module, is " + shapeToString(shape);
  }
  if (shape.size() == 4 || shape.size() == 5) {
    length = shape[1];
    const bool ok = shape[0] == 1 && length > 0 &&
                    std::all_of(shape.begin() + 2, shape.end(), [](std::int64_t d) { return d == 1; });
    if (ok) return "";
    return "must be [1, channels, 1, 1] (or 5-D) for a convolution, is " + shapeToString(shape);
  }
  length = 0;
  return "must be 2-D (Linear) or 4-/5-D (convolution), is " + shapeToString(shape);
}

void writeIa3Adapter(const std::string& folder, const Ia3Config& config,
                     const std::vector<TensorData>& vectors,
                     const std::map<std::string, std::string>& metadata) {
  namespace fs = std::filesystem;
  Ia3Config written = config;
  written.peftType = "IA3";
  std::set<std::string> modules;
  for (const auto& t : vectors) {
    const auto module = ia3ModuleOf(t.info.name);
    if (!module) continue; // a modules_to_save replacement
    std::int64_t length = 0;
    const std::string problem = ia3ShapeProblem(t.info.shape, config.isFeedforward(*module), length);
    if (!problem.empty()) throw IoError(folder, "IA³ vector " + quoteName(t.info.name) + " " + problem);
    if (!isFloatingPoint(t.info.dtype))
      throw IoError(folder, "IA³ vector " + quoteName(t.info.name) + " must be floating point");
    for (const float v : t.toFloat32())
      if (!std::isfinite(v)) throw IoError(folder, "IA³ vector " + quoteName(t.info.name) + " is not finite");
    modules.insert(*module);
  }
  // PEFT cannot load an adapter without target_modules: name the adapted modules exactly.
  if (written.targetModules.empty()) {
    written.targetModules.assign(modules.begin(), modules.end());
    written.targetModulesIsString = false;
    if (!written.feedforwardModulesIsString) {
      std::vector<std::string> feedforward;
      for (const auto& m : modules)
        if (config.isFeedforward(m)) feedforward.push_back(m);
      written.feedforwardModules = feedforward;
    }
  }
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw IoError(folder, "cannot create the adapter folder: " + ec.message());
  // Weights first: a folder whose adapter_config.json exists always has its weights.
  writeSafetensors((fs::path(folder) / "adapter_model.safetensors").string(), vectors, metadata);
  writeFileAtomically((fs::path(folder) / "adapter_config.json").string(), written.toJson());
}

} // namespace mg::io
