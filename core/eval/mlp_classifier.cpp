#include "eval/mlp_classifier.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "eval/dense_layers.h"

namespace mg::eval {

struct MlpClassifier::Parameters {
  detail::DenseLayers dense;
};

namespace {

MlpShape inferMlpShape(const engine::WeightSet& weights) {
  MlpShape shape;
  detail::inferDenseShape(weights, shape.inputSize, shape.hiddenSizes, shape.numLabels, "an MLP classifier");
  return shape;
}

} // namespace

MlpShape parseMlpConfig(const std::string& configJson, const std::string& file) {
  try {
    const auto j = nlohmann::json::parse(configJson);
    const auto architectures = j.value("architectures", std::vector<std::string>{});
    if (std::find(architectures.begin(), architectures.end(), "MerganserMLP") == architectures.end() &&
        j.value("model_type", std::string()) != "merganser_mlp")
      throw std::runtime_error("architectures does not name MerganserMLP");
    MlpShape shape;
    shape.inputSize = j.at("input_size").get<std::int64_t>();
    shape.hiddenSizes = j.value("hidden_sizes", std::vector<std::int64_t>{});
    shape.numLabels = j.at("num_labels").get<std::int64_t>();
    if (shape.inputSize < 1 || shape.numLabels < 1) throw std::runtime_error("sizes must be positive");
    for (const auto size : shape.hiddenSizes)
      if (size < 1) throw std::runtime_error("hidden_sizes must be positive");
    return shape;
  } catch (const std::exception& e) {
    throw std::runtime_error(file + ": not a MerganserMLP config: " + e.what());
  }
}

MlpClassifier::MlpClassifier(const engine::WeightSet& weights, std::optional<MlpShape> shape)
    : shape_(shape ? *shape : inferMlpShape(weights)), parameters_(std::make_unique<Parameters>()) {
  detail::ParameterLoader loader(weights);
  parameters_->dense =
      detail::DenseLayers::load(loader, shape_.inputSize, shape_.hiddenSizes, shape_.numLabels);
  loader.throwIfProblems("MLP classifier");
}

MlpClassifier::~MlpClassifier() = default;
MlpClassifier::MlpClassifier(MlpClassifier&&) noexcept = default;

bool MlpClassifier::hasHeadFor(const std::string& task) const {
  return parameters_->dense.hasHeadFor(task);
}

std::string MlpClassifier::describe() const {
  std::string text = "MerganserMLP " + std::to_string(shape_.inputSize);
  for (const auto size : shape_.hiddenSizes)
    text += "-" + std::to_string(size);
  return text + "-" + std::to_string(shape_.numLabels);
}

at::Tensor MlpClassifier::flatInputs(const at::Tensor& inputs) const {
  at::Tensor h = inputs.reshape({inputs.size(0), -1}).to(at::kFloat);
  if (h.size(1) != shape_.inputSize)
    throw std::runtime_error("inputs have " + std::to_string(h.size(1)) +
                             " values per example, the model takes " + std::to_string(shape_.inputSize));
  return h;
}

at::Tensor MlpClassifier::logits(const at::Tensor& inputs, const std::string& task) const {
  at::NoGradGuard noGrad;
  return differentiableLogits(inputs, task);
}

at::Tensor MlpClassifier::adaptedLogits(const at::Tensor& inputs, const std::string& task,
                                        const DenseAdapter& adapter) const {
  return parameters_->dense.forward(flatInputs(inputs), task, nullptr, &adapter);
}

at::Tensor MlpClassifier::differentiableLogits(const at::Tensor& inputs, const std::string& task) const {
  return parameters_->dense.forward(flatInputs(inputs), task);
}

at::Tensor MlpClassifier::differentiableLogits(const at::Tensor& inputs, const std::string& task,
                                               std::vector<at::Tensor>& states) const {
  return parameters_->dense.forward(flatInputs(inputs), task, &states);
}

std::vector<at::Tensor> MlpClassifier::hiddenStates(const at::Tensor& inputs) const {
  at::NoGradGuard noGrad;
  return parameters_->dense.hiddenStates(flatInputs(inputs));
}

} // namespace mg::eval
