#include "train/lm_trainee.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <stdexcept>

#include "io/peft_adapter.h"
#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "train/lm_outputs.h"
#include "train/lm_targets.h"

namespace fs = std::filesystem;

namespace mg::train {

namespace {

std::string absoluteFolder(const std::string& path) {
  std::error_code ec;
  const auto absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

lm::LoadOptions baseLoad(const LanguageModelBase& base) {
  lm::LoadOptions load;
  load.weights = base.weights;
  return load;
}

// An adapter to continue from, checked to be of the method's kind.
io::PeftAdapter continuedAdapter(const std::string& folder, bool ia3) {
  io::PeftAdapter adapter(folder);
  if (adapter.isIa3() != ia3)
    throw std::invalid_argument("continue_from " + folder + " is a " + adapter.peftType() +
                                " adapter, not a " + (ia3 ? "IA3" : "LORA") + " one as the method asks");
  return adapter;
}

LmTrainee loraTrainee(const LanguageModelBase& base, const FineTuneOptions& options,
                      const std::string& continueFrom, const std::string& scratch,
                      const std::string& description) {
  auto load = baseLoad(base);
  io::LoraConfig config;
  if (!continueFrom.empty()) {
    // The adapter keeps its own modules, rank and scaling; the dropout is this training's.
    config = continuedAdapter(continueFrom, false).config();
    load.adapters = {continueFrom};
  } else {
    const auto probe = lm::CausalLm::load(base.folder, load);
    const auto targets = lmTargets(probe->config(), probe->linearModules(), options);
    config.r = options.lora.rank;
    config.loraAlpha = options.lora.alpha;
    config.useRslora = options.lora.rsLora;
    config.fanInFanOut = probe->config().architecture == lm::Architecture::Gpt2; // Conv1D, as PEFT sets it
    config.targetModulesIsString = !targets.regex.empty();
    config.targetModules =
        config.targetModulesIsString ? std::vector<std::string>{targets.regex} : targets.patterns;
    config.baseModelNameOrPath = absoluteFolder(base.folder);
    io::writePeftAdapter(scratch, config,
                         freshLmLoraFactors(*probe, targets.modules, options.lora.rank, options.seed));
    load.adapters = {scratch};
  }
  config.loraDropout = options.lora.dropout;
  LmTrainee trainee;
  trainee.model = lm::CausalLm::load(base.folder, load);
  for (const auto& f : trainee.model->adapterFactors()) {
    trainee.parameters.push_back(f.a);
    trainee.parameters.push_back(f.b);
  }
  if (options.lora.dropout > 0) trainee.model->setAdapterDropout(options.lora.dropout, options.seed);
  const auto* model = trainee.model.get();
  trainee.write = [model, config, description](const std::string& folder) {
    writeLmLoraAdapter(folder, *model, config, "LoRA " + description);
  };
  return trainee;
}

// adapter_config.json's target and feed-forward lists: the options' patterns when PEFT reads the same modules
// from them (feed-forward patterns a subset of the targets, PEFT's suffix rule picking the same modules),
// else the exact module names.
io::Ia3Config ia3Config(const LmTargets& targets) {
  io::Ia3Config config;
  config.targetModulesIsString = !targets.regex.empty();
  config.targetModules =
      config.targetModulesIsString ? std::vector<std::string>{targets.regex} : targets.patterns;
  config.feedforwardModules = targets.feedforwardPatterns;
  bool faithful = true;
  if (!config.targetModulesIsString)
    for (const auto& f : config.feedforwardModules)
      faithful = faithful && std::find(config.targetModules.begin(), config.targetModules.end(), f) !=
                                 config.targetModules.end();
  for (const auto& module : targets.modules)
    faithful = faithful && config.isFeedforward(module) ==
                               (std::find(targets.feedforward.begin(), targets.feedforward.end(), module) !=
                                targets.feedforward.end());
  if (!faithful) {
    config.targetModulesIsString = false;
    config.targetModules = targets.modules;
    config.feedforwardModules = targets.feedforward;
  }
  return config;
}

LmTrainee ia3Trainee(const LanguageModelBase& base, const FineTuneOptions& options,
                     const std::string& continueFrom, const std::string& scratch,
                     const std::string& description) {
  auto load = baseLoad(base);
  io::Ia3Config config;
  if (!continueFrom.empty()) {
    config = continuedAdapter(continueFrom, true).ia3Config();
    load.adapters = {continueFrom};
  } else {
    const auto probe = lm::CausalLm::load(base.folder, load);
    const auto targets = lmTargets(probe->config(), probe->linearModules(), options);
    config = ia3Config(targets);
    config.fanInFanOut = probe->config().architecture == lm::Architecture::Gpt2;
    config.baseModelNameOrPath = absoluteFolder(base.folder);
    io::writeIa3Adapter(scratch, config, freshLmIa3Vectors(*probe, targets.modules, targets.feedforward));
    load.adapters = {scratch};
  }
  LmTrainee trainee;
  trainee.model = lm::CausalLm::load(base.folder, load);
  for (const auto& v : trainee.model->ia3Vectors())
    trainee.parameters.push_back(v.l);
  const auto* model = trainee.model.get();
  trainee.write = [model, config, description](const std::string& folder) {
    writeLmIa3Adapter(folder, *model, config, "IA³ " + description);
  };
  return trainee;
}

LmTrainee fullTrainee(const LanguageModelBase& base, const FineTuneOptions& options,
                      const std::string& description) {
  auto load = baseLoad(base);
  load.writableWeights = true;
  LmTrainee trainee;
  trainee.model = lm::CausalLm::load(base.folder, load);
  std::set<std::string> chosen;
  if (options.fullTensors.empty())
    for (const auto& module :
         lmTargets(trainee.model->config(), trainee.model->linearModules(), options).modules) {
      chosen.insert(module + ".weight");
      chosen.insert(module + ".bias");
    }
  std::regex pattern;
  try {
    pattern = std::regex(options.fullTensors.empty() ? std::string("$^") : options.fullTensors);
  } catch (const std::regex_error& e) {
    throw std::invalid_argument("full_tensors: '" + options.fullTensors +
                                "' is not a valid regular expression (" + e.what() + ")");
  }
  for (const auto& p : trainee.model->parameters())
    if (chosen.count(p.name) || (!options.fullTensors.empty() && std::regex_match(p.name, pattern)))
      trainee.parameters.push_back(p.tensor);
  if (trainee.parameters.empty())
    throw std::invalid_argument("full_tensors '" + options.fullTensors +
                                "' matches no tensor of the model (e.g. " +
                                trainee.model->parameters().front().name + ")");
  const auto* model = trainee.model.get();
  const auto baseFolder = base.folder;
  trainee.write = [model, baseFolder, description](const std::string& folder) {
    writeLmModelFolder(folder, *model, baseFolder, description);
  };
  return trainee;
}

} // namespace

LmTrainee lmTrainee(const LanguageModelBase& base, const FineTuneOptions& options,
                    const std::string& continueFrom, const std::string& scratch,
                    const std::string& description) {
  switch (options.method) {
  case Method::Lora: return loraTrainee(base, options, continueFrom, scratch, description);
  case Method::Ia3: return ia3Trainee(base, options, continueFrom, scratch, description);
  case Method::Full:
    if (!continueFrom.empty())
      throw std::invalid_argument(
          "a full fine-tune starts from the base model: to go on from an earlier one, "
          "make it the base (continue_from is for adapters)");
    return fullTrainee(base, options, description);
  }
  throw std::logic_error("unknown fine-tuning method");
}

} // namespace mg::train
