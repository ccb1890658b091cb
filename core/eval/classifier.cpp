// Picking the classifier of a model: a TorchScript archive when one is named or sits beside config.json,
// else the built-in architecture config.json (or, without one, the tensor names) describes.
#include "eval/classifier.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "eval/cnn_classifier.h"
#include "eval/mlp_classifier.h"
#include "eval/torchscript_classifier.h"
#include "io/hf_model_folder.h"
#include "io/model_files.h"

namespace mg::eval {

at::Tensor Classifier::differentiableLogits(const at::Tensor&, const std::string&) const {
  throw std::runtime_error(describe() + " cannot compute gradients through its parameters");
}

at::Tensor Classifier::differentiableLogits(const at::Tensor&, const std::string&,
                                            std::vector<at::Tensor>&) const {
  throw std::runtime_error(describe() + " cannot compute gradients through its parameters");
}

at::Tensor Classifier::adaptedLogits(const at::Tensor&, const std::string&, const DenseAdapter&) const {
  throw std::runtime_error(describe() + " cannot run with adapters on its dense layers (no gradient)");
}

std::vector<at::Tensor> Classifier::hiddenStates(const at::Tensor&) const {
  throw std::runtime_error(describe() + " does not expose its hidden representation (only the built-in MLP "
                                        "and CNN do)");
}

at::Tensor Classifier::features(const at::Tensor& inputs) const {
  return hiddenStates(inputs).back();
}

std::optional<std::string> Classifier::inputProblem(const std::vector<std::int64_t>& shape) const {
  const auto expected = exampleShape();
  if (expected.empty() || std::any_of(expected.begin(), expected.end(), [](auto d) { return d < 0; }))
    return std::nullopt;
  std::int64_t values = 1, wanted = 1;
  for (const auto d : shape)
    values *= d;
  for (const auto d : expected)
    wanted *= d;
  if (values == wanted) return std::nullopt;
  return "examples of shape " + io::shapeToString(shape) + " have " + std::to_string(values) + " values, " +
         describe() + " takes " + io::shapeToString(expected) + " (" + std::to_string(wanted) + ")";
}

std::string torchScriptArchiveIn(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(fs::path(folder) / "model.pt", ec)) return (fs::path(folder) / "model.pt").string();
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.is_regular_file(ec) && io::hasSuffix(entry.path().filename().string(), ".torchscript.pt"))
      found.push_back(entry.path().string());
  std::sort(found.begin(), found.end());
  if (found.size() > 1)
    throw std::runtime_error(folder + ": holds several TorchScript archives (" + found[0] + ", " + found[1] +
                             "): name the one to use");
  return found.empty() ? std::string() : found.front();
}

std::unique_ptr<Classifier> loadClassifier(const engine::WeightSet& weights,
                                           const io::HfModelFolder* configFolder,
                                           const std::string& torchscript) {
  if (!torchscript.empty()) return std::make_unique<TorchScriptClassifier>(torchscript, weights);
  if (!configFolder) {
    if (weights.find("convs.0.weight")) return std::make_unique<CnnClassifier>(weights);
    return std::make_unique<MlpClassifier>(weights);
  }
  if (const auto archive = torchScriptArchiveIn(configFolder->path()); !archive.empty())
    return std::make_unique<TorchScriptClassifier>(archive, weights);

  const std::string file = configFolder->path() + "/config.json";
  std::vector<std::string> architectures;
  std::string modelType;
  try {
    const auto j = nlohmann::json::parse(configFolder->configJson());
    architectures = j.value("architectures", std::vector<std::string>{});
    modelType = j.value("model_type", std::string());
  } catch (const std::exception& e) {
    throw std::runtime_error(file + ": " + e.what());
  }
  auto names = [&](const char* architecture, const char* type) {
    return modelType == type ||
           std::find(architectures.begin(), architectures.end(), architecture) != architectures.end();
  };
  if (names("MerganserCNN", "merganser_cnn"))
    return std::make_unique<CnnClassifier>(weights, parseCnnConfig(configFolder->configJson(), file));
  if (names("MerganserMLP", "merganser_mlp"))
    return std::make_unique<MlpClassifier>(weights, parseMlpConfig(configFolder->configJson(), file));
  const std::string named = architectures.empty() ? "model_type '" + modelType + "'"
                                                  : "architecture '" + architectures.front() + "'";
  throw std::runtime_error(
      file + ": " + named +
      " is not one Merganser runs (MerganserMLP, MerganserCNN); put a TorchScript archive "
      "of the model (model.pt) beside config.json, or name one");
}

} // namespace mg::eval
