// LoraConfig: PEFT's adapter_config.json, the fields that decide how an adapter merges.
#include "io/peft_adapter.h"
#include "io/peft_config_fields.h"

#include <cmath>

namespace mg::io {

using detail::Fields;
using detail::firstMatch;
using detail::numberJson;
using detail::ojson;

int LoraConfig::rankFor(const std::string& module) const {
  const int* r = firstMatch(rankPattern, module);
  return r ? *r : this->r;
}

double LoraConfig::alphaFor(const std::string& module) const {
  const double* a = firstMatch(alphaPattern, module);
  return a ? *a : loraAlpha;
}

double LoraConfig::scalingFor(const std::string& module) const {
  const double rank = rankFor(module);
  return alphaFor(module) / (useRslora ? std::sqrt(rank) : rank);
}

LoraConfig LoraConfig::fromJson(const std::string& jsonText, const std::string& file) {
  const ojson doc = detail::parseConfigObject(jsonText, file);
  const Fields f(doc, file);

  LoraConfig c;
  const ojson* type = f.get("peft_type");
  if (!type || !type->is_string() || type->get<std::string>() != "LORA")
    throw IoError(file, "unsupported peft_type " + (!type               ? std::string("(missing)")
                                                    : type->is_string() ? type->get<std::string>()
                                                                        : type->dump()));
  c.peftType = "LORA";
  f.read("r", c.r);
  f.read("lora_alpha", c.loraAlpha);
  f.read("use_rslora", c.useRslora);
  // Only training reads it: an odd value must not keep an adapter from loading.
  if (const ojson* dropout = f.get("lora_dropout"); dropout && dropout->is_number())
    c.loraDropout = dropout->get<double>();
  f.read("fan_in_fan_out", c.fanInFanOut);
  f.read("use_dora", c.useDora);
  f.read("bias", c.bias);
  c.targetModulesIsString = f.read("target_modules", c.targetModules);
  f.readPatterns("rank_pattern", c.rankPattern);
  f.readPatterns("alpha_pattern", c.alphaPattern);
  if (f.read("modules_to_save", c.modulesToSave)) f.wrongType("modules_to_save", "null or a list of strings");
  f.read("base_model_name_or_path", c.baseModelNameOrPath);
  return c;
}

std::string LoraConfig::toJson() const {
  ojson j;
  j["peft_type"] = peftType;
  j["task_type"] = nullptr;
  j["r"] = r;
  j["lora_alpha"] = numberJson(loraAlpha);
  j["lora_dropout"] = numberJson(loraDropout);
  if (targetModulesIsString && targetModules.size() == 1)
    j["target_modules"] = targetModules.front();
  else
    j["target_modules"] = targetModules;
  j["fan_in_fan_out"] = fanInFanOut;
  j["bias"] = bias;
  j["use_rslora"] = useRslora;
  j["use_dora"] = useDora;
  j["modules_to_save"] = modulesToSave.empty() ? ojson(nullptr) : ojson(modulesToSave);
  j["rank_pattern"] = ojson::object();
  for (const auto& [key, value] : rankPattern)
    j["rank_pattern"][key] = value;
  j["alpha_pattern"] = ojson::object();
  for (const auto& [key, value] : alphaPattern)
    j["alpha_pattern"][key] = numberJson(value);
  j["base_model_name_or_path"] = baseModelNameOrPath.empty() ? ojson(nullptr) : ojson(baseModelNameOrPath);
  j["inference_mode"] = true;
  j["init_lora_weights"] = true;
  j["layers_to_transform"] = nullptr;
  j["layers_pattern"] = nullptr;
  j["revision"] = nullptr;
  return j.dump(2) + "\n";
}

} // namespace mg::io
