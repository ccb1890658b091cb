#include "demo/cnn_training.h"

#include <ATen/ATen.h>

#include <cmath>

namespace mg::demo {

namespace {

// Batches without gradients: LibTorch's CPU convolutions slow down sharply past a few hundred images (1 s
// instead of 0.1 s for 4000 images in batches of 2048 on two cores).
constexpr std::int64_t kBatch = 256;

std::string convName(std::size_t i) {
  return "convs." + std::to_string(i);
}
std::string hiddenName(std::size_t i) {
  return "layers." + std::to_string(i);
}
std::string headPrefix(const std::string& head) {
  return head.empty() ? std::string("head") : "heads." + head;
}

// A module's weight with the LoRA update s·B·A folded in (a convolution's factors as PEFT stores them), so
// that training and evaluation see exactly what the adapter applies when loaded.
at::Tensor weightOf(const Parameters& p, const Lora* lora, const std::string& module) {
  const auto& weight = p.at(module + ".weight");
  if (!lora) return weight;
  const auto found = lora->modules.find(module);
  if (found == lora->modules.end()) return weight;
  const auto& [a, b] = found->second;
  const auto delta = at::matmul(b.reshape({b.size(0), b.size(1)}), a.reshape({a.size(0), -1}));
  return weight + lora->scaling() * delta.reshape(weight.sizes());
}

at::Tensor trunk(const Parameters& p, const Lora* lora, const at::Tensor& inputs) {
  const auto& first = p.at("convs.0.weight");
  const auto side = static_cast<std::int64_t>(std::lround(std::sqrt(double(inputs.size(1)))));
  at::Tensor x = inputs.reshape({inputs.size(0), first.size(1), side, side});
  const auto padding = first.size(2) / 2;
  for (std::size_t i = 0; p.count(convName(i) + ".weight"); ++i)
    x = at::max_pool2d(
        at::relu(at::conv2d(x, weightOf(p, lora, convName(i)), p.at(convName(i) + ".bias"), 1, padding)), 2);
  x = x.flatten(1);
  for (std::size_t i = 0; p.count(hiddenName(i) + ".weight"); ++i)
    x = at::relu(at::linear(x, weightOf(p, lora, hiddenName(i)), p.at(hiddenName(i) + ".bias")));
  return x;
}

at::Tensor headLogits(const Parameters& p, const std::string& head, const at::Tensor& features) {
  const auto prefix = headPrefix(head);
  return at::linear(features, p.at(prefix + ".weight"), p.at(prefix + ".bias"));
}

} // namespace

Parameters initCnn(const CnnLayout& layout, at::Generator& generator) {
  Parameters p;
  const auto k = layout.kernelSize;
  std::int64_t in = 1;
  for (std::size_t i = 0; i < layout.channels.size(); ++i) {
    const auto out = layout.channels[i];
    p[convName(i) + ".weight"] = at::randn({out, in, k, k}, generator) * std::sqrt(2.0 / double(in * k * k));
    p[convName(i) + ".bias"] = at::zeros({out});
    in = out;
  }
  std::int64_t side = layout.imageSize;
  for (std::size_t i = 0; i < layout.channels.size(); ++i)
    side /= 2;
  in = layout.channels.back() * side * side;
  const auto add = [&](const std::string& module, std::int64_t out) {
    p[module + ".weight"] = at::randn({out, in}, generator) * std::sqrt(2.0 / double(in));
    p[module + ".bias"] = at::zeros({out});
    in = out;
  };
  for (std::size_t i = 0; i < layout.hiddenSizes.size(); ++i)
    add(hiddenName(i), layout.hiddenSizes[i]);
  add("head", layout.numLabels);
  return p;
}

std::vector<std::string> cnnTrunkModules(const CnnLayout& layout) {
  std::vector<std::string> modules;
  for (std::size_t i = 0; i < layout.channels.size(); ++i)
    modules.push_back(convName(i));
  for (std::size_t i = 0; i < layout.hiddenSizes.size(); ++i)
    modules.push_back(hiddenName(i));
  return modules;
}

std::vector<std::string> cnnTrunkTensors(const CnnLayout& layout) {
  std::vector<std::string> tensors;
  for (const auto& module : cnnTrunkModules(layout)) {
    tensors.push_back(module + ".weight");
    tensors.push_back(module + ".bias");
  }
  return tensors;
}

at::Tensor cnnForward(const Parameters& parameters, const Lora* lora, const at::Tensor& inputs,
                      const std::string& head) {
  return headLogits(parameters, head, trunk(parameters, lora, inputs));
}

at::Tensor cnnFeatures(const Parameters& parameters, const at::Tensor& inputs) {
  at::NoGradGuard noGrad;
  std::vector<at::Tensor> parts;
  for (std::int64_t start = 0; start < inputs.size(0); start += kBatch)
    parts.push_back(
        trunk(parameters, nullptr, inputs.narrow(0, start, std::min(kBatch, inputs.size(0) - start))));
  return at::cat(parts);
}

double trainCnn(Parameters& parameters, const std::vector<std::string>& trainable, const std::string& head,
                const TrainingData& data, const TrainOptions& options, at::Generator& generator) {
  std::vector<at::Tensor> tensors;
  for (const auto& name : trainable) {
    auto& tensor = parameters.at(name);
    tensor = tensor.detach().clone().set_requires_grad(true);
    tensors.push_back(tensor);
  }
  const double loss = trainTensors(
      tensors, [&](const at::Tensor& x) { return cnnForward(parameters, nullptr, x, head); }, data, options,
      generator);
  for (const auto& name : trainable)
    parameters.at(name) = parameters.at(name).detach();
  return loss;
}

Lora trainCnnLora(const Parameters& base, const std::vector<std::string>& modules, int rank, double alpha,
                  const std::string& head, const TrainingData& data, const TrainOptions& options,
                  at::Generator& generator) {
  Lora lora;
  lora.rank = rank;
  lora.alpha = alpha;
  std::vector<at::Tensor> tensors;
  for (const auto& module : modules) {
    const auto& weight = base.at(module + ".weight");
    const std::int64_t fanIn = weight.numel() / weight.size(0);
    const double bound = 1.0 / std::sqrt(double(fanIn));
    std::vector<std::int64_t> aShape = weight.sizes().vec(), bShape(weight.dim(), 1);
    aShape[0] = rank;
    bShape[0] = weight.size(0);
    bShape[1] = rank;
    auto a = (at::rand(aShape, generator) * 2.0 - 1.0) * bound;
    auto b = at::zeros(bShape);
    lora.modules[module] = {a.set_requires_grad(true), b.set_requires_grad(true)};
    tensors.push_back(lora.modules[module].a);
    tensors.push_back(lora.modules[module].b);
  }
  trainTensors(
      tensors, [&](const at::Tensor& x) { return cnnForward(base, &lora, x, head); }, data, options,
      generator);
  for (auto& [module, factors] : lora.modules)
    factors = {factors.a.detach(), factors.b.detach()};
  return lora;
}

void fitHead(Parameters& base, const std::string& task, std::int64_t classes, const TrainingData& data,
             const TrainOptions& options, at::Generator& generator) {
  const auto& pretrained = base.at("head.weight");
  // Start from the pre-training head's first rows: a head of the ten classes starts where the base is.
  auto weight = pretrained.narrow(0, 0, classes).clone().set_requires_grad(true);
  auto bias = base.at("head.bias").narrow(0, 0, classes).clone().set_requires_grad(true);
  const TrainingData features{cnnFeatures(base, data.inputs), data.labels};
  trainTensors(
      {weight, bias}, [&](const at::Tensor& x) { return at::linear(x, weight, bias); }, features, options,
      generator);
  // The rows past the task's classes never win: a bias of -10⁴ (exact in float16 too), so the argmax over
  // all outputs is the task's answer and a specialist's softmax ignores them as evaluation does.
  auto fullWeight = at::zeros_like(pretrained);
  auto fullBias = at::full({pretrained.size(0)}, -1e4);
  fullWeight.narrow(0, 0, classes).copy_(weight.detach());
  fullBias.narrow(0, 0, classes).copy_(bias.detach());
  base["heads." + task + ".weight"] = fullWeight;
  base["heads." + task + ".bias"] = fullBias;
}

double cnnAccuracy(const Parameters& parameters, const Lora* lora, const TrainingData& data,
                   const std::string& head) {
  at::NoGradGuard noGrad;
  const std::int64_t n = data.inputs.size(0);
  std::int64_t correct = 0;
  for (std::int64_t start = 0; start < n; start += kBatch) {
    const std::int64_t count = std::min(kBatch, n - start);
    const auto logits = cnnForward(parameters, lora, data.inputs.narrow(0, start, count), head);
    correct += logits.argmax(1).eq(data.labels.narrow(0, start, count)).sum().item<std::int64_t>();
  }
  return n ? double(correct) / double(n) : 0.0;
}

} // namespace mg::demo
