#include "eval/mlp_classifier.h"

#include <nlohmann/json.hpp>

#include "io/hf_model_folder.h"
#include <regex>
#include <stdexcept>

namespace mg::eval {

struct MlpClassifier::Parameters {
  std::vector<std::pair<at::Tensor, at::Tensor>> layers; // (weight, bias)
  std::pair<at::Tensor, at::Tensor> head;
  std::map<std::string, std::pair<at::Tensor, at::Tensor>> taskHeads;
};

namespace {

std::string shapeText(const std::vector<std::int64_t>& shape) {
  return io::shapeToString(shape);
}

// The hidden sizes and input size read off layers.N.weight and head.weight.
MlpShape inferShape(const engine::WeightSet& weights) {
  MlpShape shape;
  for (int layer = 0;; ++layer) {
    const auto* w = weights.find("layers." + std::to_string(layer) + ".weight");
    if (!w) break;
    if (w->shape.size() != 2)
      throw std::runtime_error("layers." + std::to_string(layer) + ".weight is not a matrix");
    if (layer == 0) shape.inputSize = w->shape[1];
    shape.hiddenSizes.push_back(w->shape[0]);
  }
  const auto* head = weights.find("head.weight");
  if (!head || head->shape.size() != 2)
    throw std::runtime_error(weights.describe() + " is not an MLP classifier: it has no head.weight matrix");
  if (shape.hiddenSizes.empty()) shape.inputSize = head->shape[1];
  shape.numLabels = head->shape[0];
  return shape;
}

} // namespace

MlpShape parseMlpConfig(const std::string& configJson, const std::string& file) {
  try {
    const auto j = nlohmann::json::parse(configJson);
    const auto architectures = j.value("architectures", std::vector<std::string>{});
    if (std::find(architectures.begin(), architectures.end(), "MerganserMLP") == architectures.end())
      throw std::runtime_error("architectures does not name MerganserMLP");
    MlpShape shape;
    shape.inputSize = j.at("input_size").get<std::int64_t>();
    shape.hiddenSizes = j.at("hidden_sizes").get<std::vector<std::int64_t>>();
    shape.numLabels = j.at("num_labels").get<std::int64_t>();
    return shape;
  } catch (const std::exception& e) {
    throw std::runtime_error(file + ": not a MerganserMLP config: " + e.what());
  }
}

MlpClassifier::MlpClassifier(const engine::WeightSet& weights, std::optional<MlpShape> shape)
    : shape_(shape ? *shape : inferShape(weights)), parameters_(std::make_unique<Parameters>()) {
  std::vector<std::string> problems;
  auto fetch = [&](const std::string& name, std::vector<std::int64_t> expected) {
    const auto* info = weights.find(name);
    if (!info) {
      problems.push_back(name + " is missing");
      return at::Tensor();
    }
    if (info->shape != expected) {
      problems.push_back(name + " has shape " + shapeText(info->shape) + ", expected " + shapeText(expected));
      return at::Tensor();
    }
    return weights.load(name);
  };
  std::int64_t in = shape_.inputSize;
  for (std::size_t i = 0; i < shape_.hiddenSizes.size(); ++i) {
    const auto prefix = "layers." + std::to_string(i);
    const auto out = shape_.hiddenSizes[i];
    parameters_->layers.emplace_back(fetch(prefix + ".weight", {out, in}), fetch(prefix + ".bias", {out}));
    in = out;
  }
  parameters_->head = {fetch("head.weight", {shape_.numLabels, in}), fetch("head.bias", {shape_.numLabels})};
  static const std::regex taskHead(R"(^heads\.(.+)\.weight$)");
  for (const auto& info : weights.tensors()) {
    std::smatch match;
    if (std::regex_match(info.name, match, taskHead)) {
      const std::string task = match[1];
      parameters_->taskHeads[task] = {fetch(info.name, {shape_.numLabels, in}),
                                      fetch("heads." + task + ".bias", {shape_.numLabels})};
    }
  }
  if (!problems.empty()) {
    std::string text = weights.describe() + " does not fit the MLP classifier:";
    for (const auto& p : problems)
      text += " " + p + ";";
    text.pop_back();
    throw std::runtime_error(text);
  }
}

MlpClassifier::~MlpClassifier() = default;
MlpClassifier::MlpClassifier(MlpClassifier&&) noexcept = default;

bool MlpClassifier::hasHeadFor(const std::string& task) const {
  return parameters_->taskHeads.count(task) != 0;
}

at::Tensor MlpClassifier::logits(const at::Tensor& inputs, const std::string& task) const {
  torch::NoGradGuard noGrad;
  at::Tensor h = inputs.reshape({inputs.size(0), -1}).to(torch::kFloat32);
  if (h.size(1) != shape_.inputSize)
    throw std::runtime_error("inputs have " + std::to_string(h.size(1)) +
                             " values per example, the model takes " + std::to_string(shape_.inputSize));
  for (const auto& [weight, bias] : parameters_->layers)
    h = torch::relu(torch::addmm(bias, h, weight.t()));
  const auto it = parameters_->taskHeads.find(task);
  const auto& head = it != parameters_->taskHeads.end() ? it->second : parameters_->head;
  return torch::addmm(head.second, h, head.first.t());
}

MlpClassifier loadClassifier(const engine::WeightSet& weights, const io::HfModelFolder* configFolder) {
  if (!configFolder) return MlpClassifier(weights);
  return MlpClassifier(weights,
                       parseMlpConfig(configFolder->configJson(), configFolder->path() + "/config.json"));
}

} // namespace mg::eval
