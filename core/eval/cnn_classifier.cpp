#include "eval/cnn_classifier.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "eval/dense_layers.h"

namespace mg::eval {

struct CnnClassifier::Parameters {
  std::vector<detail::DenseLayers::Linear> convs;
  detail::DenseLayers dense;
};

namespace {

std::string shapeText(const std::vector<std::int64_t>& shape) {
  return io::shapeToString(shape);
}

CnnShape inferCnnShape(const engine::WeightSet& weights) {
  CnnShape shape;
  for (int layer = 0;; ++layer) {
    const auto name = "convs." + std::to_string(layer) + ".weight";
    const auto* w = weights.find(name);
    if (!w) break;
    if (w->shape.size() != 4)
      throw std::runtime_error(weights.describe() + ": " + name +
                               " is not a convolution kernel [out, in, k, k]");
    if (layer == 0) {
      shape.inputChannels = w->shape[1];
      shape.kernelSize = w->shape[2];
    }
    shape.channels.push_back(w->shape[0]);
  }
  if (shape.channels.empty())
    throw std::runtime_error(weights.describe() + " is not a CNN classifier: it has no convs.0.weight");
  std::int64_t features = 0;
  detail::inferDenseShape(weights, features, shape.hiddenSizes, shape.numLabels, "a CNN classifier");
  return shape;
}

} // namespace

std::int64_t CnnShape::featuresFor(std::int64_t h, std::int64_t w) const {
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (h < 2 || w < 2) return 0;
    h /= 2;
    w /= 2;
  }
  return channels.empty() ? 0 : channels.back() * h * w;
}

CnnShape parseCnnConfig(const std::string& configJson, const std::string& file) {
  try {
    const auto j = nlohmann::json::parse(configJson);
    const auto architectures = j.value("architectures", std::vector<std::string>{});
    if (std::find(architectures.begin(), architectures.end(), "MerganserCNN") == architectures.end() &&
        j.value("model_type", std::string()) != "merganser_cnn")
      throw std::runtime_error("architectures does not name MerganserCNN");
    CnnShape shape;
    shape.inputChannels = j.at("input_channels").get<std::int64_t>();
    const auto& size = j.at("image_size");
    if (size.is_array()) {
      const auto hw = size.get<std::vector<std::int64_t>>();
      if (hw.size() != 2) throw std::runtime_error("image_size must be a number or [height, width]");
      shape.imageHeight = hw[0];
      shape.imageWidth = hw[1];
    } else {
      shape.imageHeight = shape.imageWidth = size.get<std::int64_t>();
    }
    shape.channels = j.at("channels").get<std::vector<std::int64_t>>();
    shape.kernelSize = j.value("kernel_size", std::int64_t(3));
    shape.hiddenSizes = j.value("hidden_sizes", std::vector<std::int64_t>{});
    shape.numLabels = j.at("num_labels").get<std::int64_t>();
    if (shape.inputChannels < 1 || shape.numLabels < 1 || shape.imageHeight < 1 || shape.imageWidth < 1)
      throw std::runtime_error("input_channels, image_size and num_labels must be positive");
    if (shape.channels.empty()) throw std::runtime_error("channels must list at least one convolution");
    for (const auto c : shape.channels)
      if (c < 1) throw std::runtime_error("channels must be positive");
    for (const auto h : shape.hiddenSizes)
      if (h < 1) throw std::runtime_error("hidden_sizes must be positive");
    if (shape.kernelSize < 1 || shape.kernelSize % 2 == 0)
      throw std::runtime_error("kernel_size must be odd");
    if (shape.featuresFor(shape.imageHeight, shape.imageWidth) == 0)
      throw std::runtime_error("image_size is too small for " + std::to_string(shape.channels.size()) +
                               " 2x2 pools");
    return shape;
  } catch (const std::exception& e) {
    throw std::runtime_error(file + ": not a MerganserCNN config: " + e.what());
  }
}

CnnClassifier::CnnClassifier(const engine::WeightSet& weights, std::optional<CnnShape> shape)
    : shape_(shape ? *shape : inferCnnShape(weights)), parameters_(std::make_unique<Parameters>()) {
  detail::ParameterLoader loader(weights);
  const auto k = shape_.kernelSize;
  std::int64_t in = shape_.inputChannels;
  for (std::size_t i = 0; i < shape_.channels.size(); ++i) {
    const auto prefix = "convs." + std::to_string(i);
    const auto out = shape_.channels[i];
    parameters_->convs.emplace_back(loader.fetch(prefix + ".weight", {out, in, k, k}),
                                    loader.fetch(prefix + ".bias", {out}));
    in = out;
  }
  std::int64_t features = 0;
  if (shape_.imageHeight > 0) {
    features = shape_.featuresFor(shape_.imageHeight, shape_.imageWidth);
  } else { // no config: whatever the first dense layer takes (checked against the inputs when run)
    const auto* first = weights.find(shape_.hiddenSizes.empty() ? "head.weight" : "layers.0.weight");
    features = first ? first->shape.at(1) : 0;
  }
  parameters_->dense = detail::DenseLayers::load(loader, features, shape_.hiddenSizes, shape_.numLabels);
  if (k % 2 == 0)
    throw std::runtime_error(weights.describe() + ": convolution kernels must have an odd size");
  loader.throwIfProblems("CNN classifier");
}

CnnClassifier::~CnnClassifier() = default;
CnnClassifier::CnnClassifier(CnnClassifier&&) noexcept = default;

bool CnnClassifier::hasHeadFor(const std::string& task) const {
  return parameters_->dense.hasHeadFor(task);
}

std::vector<std::int64_t> CnnClassifier::exampleShape() const {
  if (shape_.imageHeight > 0) return {shape_.inputChannels, shape_.imageHeight, shape_.imageWidth};
  return {shape_.inputChannels, -1, -1};
}

std::optional<std::string> CnnClassifier::inputProblem(const std::vector<std::int64_t>& shape) const {
  const auto c = shape_.inputChannels;
  if (shape_.imageHeight > 0) return Classifier::inputProblem(shape);
  std::vector<std::int64_t> image = shape;
  if (image.size() == 2 && c == 1) image.insert(image.begin(), 1);
  if (image.size() != 3 || image[0] != c)
    return "examples of shape " + shapeText(shape) + " are not images of " + std::to_string(c) +
           " channel(s) [C, H, W] (a config.json with image_size would allow flat inputs)";
  const auto features = shape_.featuresFor(image[1], image[2]);
  if (features != parameters_->dense.inputSize)
    return "images of " + std::to_string(image[1]) + "x" + std::to_string(image[2]) + " give " +
           std::to_string(features) +
           " features after the convolutions, the model's first dense layer takes " +
           std::to_string(parameters_->dense.inputSize);
  return std::nullopt;
}

std::string CnnClassifier::describe() const {
  std::string text = "MerganserCNN " + std::to_string(shape_.inputChannels);
  if (shape_.imageHeight > 0)
    text += "x" + std::to_string(shape_.imageHeight) + "x" + std::to_string(shape_.imageWidth);
  text += " conv";
  for (const auto c : shape_.channels)
    text += "-" + std::to_string(c);
  for (const auto h : shape_.hiddenSizes)
    text += " fc-" + std::to_string(h);
  return text + " -" + std::to_string(shape_.numLabels);
}

at::Tensor CnnClassifier::convFeatures(const at::Tensor& inputs) const {
  const auto batch = inputs.size(0);
  at::Tensor x = inputs.to(at::kFloat);
  if (shape_.imageHeight > 0) {
    const auto values = shape_.inputChannels * shape_.imageHeight * shape_.imageWidth;
    if (x.numel() != batch * values)
      throw std::runtime_error("inputs have " + std::to_string(batch ? x.numel() / batch : 0) +
                               " values per example, the model takes " + std::to_string(values));
    x = x.reshape({batch, shape_.inputChannels, shape_.imageHeight, shape_.imageWidth});
  } else {
    if (x.dim() == 3 && shape_.inputChannels == 1) x = x.unsqueeze(1);
    std::vector<std::int64_t> example(x.sizes().begin() + 1, x.sizes().end());
    if (const auto problem = inputProblem(example)) throw std::runtime_error(*problem);
  }
  const auto padding = shape_.kernelSize / 2;
  for (const auto& [weight, bias] : parameters_->convs)
    x = at::max_pool2d(at::relu(at::conv2d(x, weight, bias, 1, padding)), 2);
  return x.flatten(1);
}

at::Tensor CnnClassifier::logits(const at::Tensor& inputs, const std::string& task) const {
  at::NoGradGuard noGrad;
  return differentiableLogits(inputs, task);
}

at::Tensor CnnClassifier::adaptedLogits(const at::Tensor& inputs, const std::string& task,
                                        const DenseAdapter& adapter) const {
  return parameters_->dense.forward(convFeatures(inputs), task, nullptr, &adapter);
}

at::Tensor CnnClassifier::differentiableLogits(const at::Tensor& inputs, const std::string& task) const {
  return parameters_->dense.forward(convFeatures(inputs), task);
}

at::Tensor CnnClassifier::differentiableLogits(const at::Tensor& inputs, const std::string& task,
                                               std::vector<at::Tensor>& states) const {
  return parameters_->dense.forward(convFeatures(inputs), task, &states);
}

std::vector<at::Tensor> CnnClassifier::hiddenStates(const at::Tensor& inputs) const {
  at::NoGradGuard noGrad;
  return parameters_->dense.hiddenStates(convFeatures(inputs));
}

} // namespace mg::eval
