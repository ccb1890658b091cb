#include "train/classifier_trainee.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/peft_adapter.h"
#include "io/safetensors_writer.h"
#include "tensor/torch_convert.h"
#include "train/target_modules.h"

namespace mg::train {

namespace {

// Linear ([out, in]) and convolution ([out, in, k, k]) modules of the model, by their weights' names.
std::vector<std::string> adaptableModules(const std::map<std::string, at::Tensor>& tensors) {
  std::vector<std::string> modules;
  const std::string suffix = ".weight";
  for (const auto& [name, tensor] : tensors)
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        (tensor.dim() == 2 || tensor.dim() == 4))
      modules.push_back(name.substr(0, name.size() - suffix.size()));
  return modules;
}

// The classification heads ("head", "heads.<task>"), which specialists of a frozen-head model keep.
bool isHead(const std::string& module) {
  return module == "head" || module.rfind("head.", 0) == 0 || module.rfind("heads.", 0) == 0;
}

// Dense layers ("layers.N", the heads) take their adapters beside the frozen weights
// (eval::Classifier::adaptedLogits); other modules (convolutions) train through merged weights.
bool adaptedBesideWeights(const std::string& module) {
  static const std::regex dense(R"(layers\.\d+)");
  return isHead(module) || std::regex_match(module, dense);
}

std::vector<std::string> targetModulesOf(const std::map<std::string, at::Tensor>& tensors,
                                         const FineTuneOptions& options) {
  const auto modules = adaptableModules(tensors);
  if (!options.targetModules.empty() || !options.targetRegex.empty())
    return matchTargetModules(modules, options.targetModules, options.targetRegex);
  std::vector<std::string> trunk;
  std::copy_if(modules.begin(), modules.end(), std::back_inserter(trunk),
               [](const auto& m) { return !isHead(m); });
  if (trunk.empty())
    throw std::invalid_argument(
        "target_modules: the model has no linear or convolution module besides its head; "
        "name the modules to adapt");
  return trunk;
}

void requireModule(const std::map<std::string, at::Tensor>& tensors, const std::string& module,
                   const std::string& adapter) {
  if (!tensors.count(module + ".weight"))
    throw std::invalid_argument("continue_from " + adapter + " adapts module " + module +
                                ", which the base model does not have");
}

std::string baseName(const ClassifierBase& base) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(base.label, ec);
  return ec ? base.label : absolute.lexically_normal().string();
}

// LoRA: W + s·B·A per module. A convolution's A is [r, in, k, k] and B [out, r, 1, 1] (PEFT's Conv2d), so
// its update is B·A over the flattened factors, shaped like the weight.
ClassifierTrainee loraTrainee(const ClassifierBase& base, const std::map<std::string, at::Tensor>& tensors,
                              const FineTuneOptions& options, const std::string& continueFrom,
                              const std::string& description) {
  if (options.lora.dropout > 0)
    throw std::invalid_argument(
        "dropout: a classifier's LoRA trains through merged weights, where dropout on "
        "the update's input cannot be applied; set dropout to 0");
  io::LoraConfig config;
  std::map<std::string, std::pair<at::Tensor, at::Tensor>> factors; // module -> (A, B)
  std::vector<std::string> modules;
  if (!continueFrom.empty()) {
    const io::PeftAdapter adapter(continueFrom);
    if (adapter.isIa3())
      throw std::invalid_argument("continue_from " + continueFrom + " is an IA3 adapter, not a LORA one");
    config = adapter.config();
    for (const auto& m : adapter.modules()) {
      requireModule(tensors, m.module, continueFrom);
      modules.push_back(m.module);
      factors[m.module] = {tensor::toTorchFloat32(adapter.load(m.loraA)).clone(),
                           tensor::toTorchFloat32(adapter.load(m.loraB)).clone()};
    }
  } else {
    modules = targetModulesOf(tensors, options);
    config.r = options.lora.rank;
    config.loraAlpha = options.lora.alpha;
    config.useRslora = options.lora.rsLora;
    config.targetModules = modules;
    config.baseModelNameOrPath = baseName(base);
    auto generator = at::detail::createCPUGenerator(options.seed);
    for (const auto& module : modules) {
      const auto& w = tensors.at(module + ".weight");
      auto aShape = w.sizes().vec(), bShape = w.sizes().vec();
      aShape[0] = config.r; // [r, in, k...]
      bShape[1] = config.r; // [out, r, 1...]
      std::fill(bShape.begin() + 2, bShape.end(), 1);
      // nn.Linear / nn.Conv2d's default initialisation of A (Kaiming-uniform, a = √5): U(±1/√fan_in).
      const double bound = 1.0 / std::sqrt(double(w[0].numel()));
      factors[module] = {(at::rand(aShape, generator) * 2.0 - 1.0) * bound, at::zeros(bShape)};
    }
  }
  ClassifierTrainee trainee;
  trainee.modules = modules;
  for (const auto& module : modules) {
    trainee.parameters.push_back(factors.at(module).first);
    trainee.parameters.push_back(factors.at(module).second);
  }
  trainee.weightsChange = std::any_of(factors.begin(), factors.end(),
                                      [](const auto& entry) { return !adaptedBesideWeights(entry.first); });
  trainee.dense = [factors, config](const std::string& module, const at::Tensor& input,
                                    const at::Tensor& output) {
    const auto found = factors.find(module);
    if (found == factors.end() || !adaptedBesideWeights(module)) return output;
    const auto& [a, b] = found->second; // PEFT's forward: y + s·(x·Aᵀ)·Bᵀ
    return output + input.matmul(a.t()).matmul(b.t()) * config.scalingFor(module);
  };
  trainee.weights = [&tensors, factors, config] {
    auto weights = tensors;
    for (const auto& [module, ab] : factors) {
      if (adaptedBesideWeights(module)) continue;
      auto& w = weights.at(module + ".weight");
      const double scale = config.scalingFor(module);
      w = w + (ab.second.flatten(1).matmul(ab.first.flatten(1)) * scale).view(w.sizes());
    }
    return weights;
  };
  trainee.write = [factors, config, description](const std::string& folder) {
    std::vector<io::TensorData> data;
    for (const auto& [module, ab] : factors) {
      data.push_back(tensor::fromTorch(ab.first.detach(), io::peftKey(module, "lora_A"), io::DType::F32));
      data.push_back(tensor::fromTorch(ab.second.detach(), io::peftKey(module, "lora_B"), io::DType::F32));
    }
    io::writePeftAdapter(folder, config, data, {{"format", "pt"}, {"merganser.description", description}});
  };
  return trainee;
}

// IA³: W ⊙ l per module, l [out, 1] scaling the output (and the bias), or [1, in] scaling the input of a
// feed-forward module; a convolution's l is [1, c, 1, 1] (PEFT's Conv2d), broadcast over its channels.
ClassifierTrainee ia3Trainee(const ClassifierBase& base, const std::map<std::string, at::Tensor>& tensors,
                             const FineTuneOptions& options, const std::string& continueFrom,
                             const std::string& description) {
  io::Ia3Config config;
  std::map<std::string, at::Tensor> vectors; // module -> l as stored
  if (!continueFrom.empty()) {
    const io::PeftAdapter adapter(continueFrom);
    if (!adapter.isIa3())
      throw std::invalid_argument("continue_from " + continueFrom + " is a " + adapter.peftType() +
                                  " adapter, not an IA3 one");
    config = adapter.ia3Config();
    for (const auto& m : adapter.ia3Modules()) {
      requireModule(tensors, m.module, continueFrom);
      vectors[m.module] = tensor::toTorchFloat32(adapter.load(m.key)).clone();
    }
  } else {
    const auto modules = targetModulesOf(tensors, options);
    config.targetModules = modules;
    config.baseModelNameOrPath = baseName(base);
    for (const auto& entry : options.feedforwardModules) {
      if (std::none_of(modules.begin(), modules.end(),
                       [&](const auto& m) { return peftModuleMatches(m, entry); }))
        throw std::invalid_argument("feedforward_modules: '" + entry + "' is not among the target modules");
    }
    for (const auto& module : modules)
      if (std::any_of(options.feedforwardModules.begin(), options.feedforwardModules.end(),
                      [&](const auto& entry) { return peftModuleMatches(module, entry); }))
        config.feedforwardModules.push_back(module);
    for (const auto& module : modules) {
      const auto& w = tensors.at(module + ".weight");
      const bool input = config.isFeedforward(module);
      const std::int64_t length = w.size(input ? 1 : 0);
      vectors[module] = w.dim() == 4 ? at::ones({1, length, 1, 1})
                        : input      ? at::ones({1, length})
                                     : at::ones({length, 1});
    }
  }
  for (const auto& [module, l] : vectors) {
    const auto& w = tensors.at(module + ".weight");
    if (w.size(config.isFeedforward(module) ? 1 : 0) != l.numel())
      throw std::invalid_argument("the IA3 vector of " + module + " has " + std::to_string(l.numel()) +
                                  " values, which fits no dimension of its weight " + module + ".weight");
  }
  ClassifierTrainee trainee;
  for (const auto& [module, l] : vectors) {
    trainee.modules.push_back(module);
    trainee.parameters.push_back(l);
  }
  trainee.weightsChange = std::any_of(vectors.begin(), vectors.end(),
                                      [](const auto& entry) { return !adaptedBesideWeights(entry.first); });
  trainee.dense = [&tensors, vectors, config](const std::string& module, const at::Tensor& input,
                                              const at::Tensor& output) {
    const auto found = vectors.find(module);
    if (found == vectors.end() || !adaptedBesideWeights(module)) return output;
    const auto l = found->second.flatten();
    if (!config.isFeedforward(module)) return output * l; // (W·x + b) ⊙ l
    const auto bias = tensors.find(module + ".bias");     // W·(x ⊙ l) + b
    const auto scaled = (input * l).matmul(tensors.at(module + ".weight").t());
    return bias != tensors.end() ? scaled + bias->second : scaled;
  };
  trainee.weights = [&tensors, vectors, config] {
    auto weights = tensors;
    for (const auto& [module, l] : vectors) {
      if (adaptedBesideWeights(module)) continue;
      auto& w = weights.at(module + ".weight");
      const bool input = config.isFeedforward(module);
      const auto length = l.numel();
      if (w.size(input ? 1 : 0) != length)
        throw std::invalid_argument("the IA3 vector of " + module + " has " + std::to_string(length) +
                                    " values, which fits no dimension of its weight " + module + ".weight");
      std::vector<std::int64_t> shape(std::size_t(w.dim()), 1);
      shape[input ? 1 : 0] = length;
      w = w * l.reshape(shape);
      const auto bias = weights.find(module + ".bias");
      if (!input && bias != weights.end()) bias->second = bias->second * l.reshape({length});
    }
    return weights;
  };
  trainee.write = [vectors, config, description](const std::string& folder) {
    std::vector<io::TensorData> data;
    for (const auto& [module, l] : vectors)
      data.push_back(tensor::fromTorch(l.detach(), io::ia3Key(module), io::DType::F32));
    io::writeIa3Adapter(folder, config, data, {{"format", "pt"}, {"merganser.description", description}});
  };
  return trainee;
}

// Full: the chosen tensors themselves, written whole with every other tensor of the base.
ClassifierTrainee fullTrainee(const ClassifierBase& base, const std::map<std::string, at::Tensor>& tensors,
                              const FineTuneOptions& options, const std::string& continueFrom,
                              const std::string& description) {
  if (!continueFrom.empty())
    throw std::invalid_argument("continue_from: a full fine-tune starts from the base, not from an adapter");
  std::vector<std::string> names;
  if (!options.fullTensors.empty()) {
    std::regex pattern;
    try {
      pattern = std::regex(options.fullTensors);
    } catch (const std::regex_error& error) {
      throw std::invalid_argument("full_tensors: '" + options.fullTensors +
                                  "' is not a regular expression: " + error.what());
    }
    for (const auto& [name, tensor] : tensors)
      if (std::regex_match(name, pattern) && tensor.is_floating_point()) names.push_back(name);
    if (names.empty())
      throw std::invalid_argument("full_tensors: '" + options.fullTensors +
                                  "' matches no tensor of the model");
  } else {
    for (const auto& module : targetModulesOf(tensors, options))
      for (const auto* suffix : {".weight", ".bias"})
        if (tensors.count(module + suffix)) names.push_back(module + suffix);
  }
  auto trained = std::make_shared<std::map<std::string, at::Tensor>>();
  ClassifierTrainee trainee;
  for (const auto& name : names) {
    (*trained)[name] = tensors.at(name).clone();
    trainee.parameters.push_back(trained->at(name));
    trainee.modules.push_back(name);
  }
  trainee.weightsChange = true;
  trainee.weights = [&tensors, trained] {
    auto weights = tensors;
    for (const auto& [name, tensor] : *trained)
      weights[name] = tensor;
    return weights;
  };
  trainee.write = [&tensors, trained, base, description](const std::string& folder) {
    std::filesystem::create_directories(folder);
    std::vector<io::TensorData> data;
    for (const auto& [name, tensor] : tensors) {
      const auto found = trained->find(name);
      data.push_back(tensor::fromTorch((found != trained->end() ? found->second : tensor).detach(), name,
                                       io::DType::F32));
    }
    io::writeSafetensors((std::filesystem::path(folder) / "model.safetensors").string(), data,
                         {{"format", "pt"}, {"merganser.description", description}});
    if (base.config)
      io::writeFileAtomically((std::filesystem::path(folder) / "config.json").string(),
                              base.config->configJson());
  };
  return trainee;
}

} // namespace

ClassifierTrainee classifierTrainee(const ClassifierBase& base,
                                    const std::map<std::string, at::Tensor>& tensors,
                                    const FineTuneOptions& options, const std::string& continueFrom,
                                    const std::string& description) {
  switch (options.method) {
  case Method::Lora: return loraTrainee(base, tensors, options, continueFrom, description);
  case Method::Ia3: return ia3Trainee(base, tensors, options, continueFrom, description);
  case Method::Full: return fullTrainee(base, tensors, options, continueFrom, description);
  }
  throw std::logic_error("unknown fine-tuning method");
}

} // namespace mg::train
