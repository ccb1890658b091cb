#include "demo/mlp_training.h"

#include <ATen/ATen.h>
#include <torch/optim/adam.h>

#include <cmath>

namespace mg::demo {

namespace {

std::string layerName(std::size_t index) {
  return "layers." + std::to_string(index);
}

// y = x·Wᵀ + b (+ scaling · (x·Aᵀ)·Bᵀ): the LoRA update is applied without forming B·A.
at::Tensor linear(const Parameters& p, const Lora* lora, const std::string& module, const at::Tensor& x) {
  at::Tensor y = at::linear(x, p.at(module + ".weight"), p.at(module + ".bias"));
  if (lora) {
    const auto found = lora->modules.find(module);
    if (found != lora->modules.end())
      y = y + lora->scaling() * at::matmul(at::matmul(x, found->second.a.t()), found->second.b.t());
  }
  return y;
}

} // namespace

double trainTensors(const std::vector<at::Tensor>& trainable,
                    const std::function<at::Tensor(const at::Tensor&)>& logitsOf, const TrainingData& data,
                    const TrainOptions& options, at::Generator& generator) {
  torch::optim::Adam optimizer(trainable, torch::optim::AdamOptions(options.learningRate));
  const std::int64_t n = data.inputs.size(0);
  const std::int64_t tail = std::max<std::int64_t>(1, options.steps / 10);
  double tailLoss = 0;
  at::Tensor order = at::randperm(n, generator, at::kLong);
  std::int64_t cursor = 0;
  for (std::int64_t step = 0; step < options.steps; ++step) {
    if (options.cancel) options.cancel->throwIfCancelled();
    if (cursor + options.batchSize > n) {
      order = at::randperm(n, generator, at::kLong);
      cursor = 0;
    }
    const auto batch = order.narrow(0, cursor, std::min(options.batchSize, n));
    cursor += options.batchSize;
    optimizer.zero_grad();
    const auto loss = at::cross_entropy_loss(logitsOf(data.inputs.index_select(0, batch)),
                                             data.labels.index_select(0, batch));
    loss.backward();
    optimizer.step();
    if (step >= options.steps - tail) tailLoss += loss.item<double>();
    if (options.progress && (step % 20 == 0 || step + 1 == options.steps))
      options.progress(double(step + 1) / double(options.steps));
  }
  return tailLoss / double(tail);
}

std::vector<std::string> trunkModules(const MlpLayout& layout) {
  std::vector<std::string> modules;
  for (std::size_t i = 0; i < layout.hiddenSizes.size(); ++i)
    modules.push_back(layerName(i));
  return modules;
}

Parameters initMlp(const MlpLayout& layout, at::Generator& generator) {
  Parameters p;
  std::int64_t in = layout.inputSize;
  const auto add = [&](const std::string& module, std::int64_t out) {
    p[module + ".weight"] = at::randn({out, in}, generator) * std::sqrt(2.0 / double(in));
    p[module + ".bias"] = at::zeros({out});
    in = out;
  };
  for (std::size_t i = 0; i < layout.hiddenSizes.size(); ++i)
    add(layerName(i), layout.hiddenSizes[i]);
  add("head", layout.numLabels);
  return p;
}

at::Tensor mlpForward(const Parameters& p, const Lora* lora, const at::Tensor& inputs, at::Tensor* features) {
  at::Tensor h = inputs;
  for (std::size_t i = 0; p.count(layerName(i) + ".weight"); ++i)
    h = at::relu(linear(p, lora, layerName(i), h));
  if (features) *features = h;
  return linear(p, lora, "head", h);
}

double trainParameters(Parameters& parameters, const std::vector<std::string>& trainable,
                       const TrainingData& data, const TrainOptions& options, at::Generator& generator) {
  std::vector<at::Tensor> tensors;
  for (const auto& name : trainable) {
    auto& tensor = parameters.at(name);
    tensor = tensor.detach().clone().set_requires_grad(true);
    tensors.push_back(tensor);
  }
  const double loss = trainTensors(
      tensors, [&](const at::Tensor& x) { return mlpForward(parameters, nullptr, x); }, data, options,
      generator);
  for (const auto& name : trainable)
    parameters.at(name) = parameters.at(name).detach();
  return loss;
}

Lora trainLora(const Parameters& base, const std::vector<std::string>& modules, int rank, double alpha,
               const TrainingData& data, const TrainOptions& options, at::Generator& generator) {
  Lora lora;
  lora.rank = rank;
  lora.alpha = alpha;
  std::vector<at::Tensor> tensors;
  for (const auto& module : modules) {
    const auto& weight = base.at(module + ".weight");
    const double bound = 1.0 / std::sqrt(double(weight.size(1)));
    auto a = (at::rand({rank, weight.size(1)}, generator) * 2.0 - 1.0) * bound;
    auto b = at::zeros({weight.size(0), rank});
    lora.modules[module] = {a.set_requires_grad(true), b.set_requires_grad(true)};
    tensors.push_back(lora.modules[module].a);
    tensors.push_back(lora.modules[module].b);
  }
  trainTensors(
      tensors, [&](const at::Tensor& x) { return mlpForward(base, &lora, x); }, data, options, generator);
  for (auto& [module, factors] : lora.modules)
    factors = {factors.a.detach(), factors.b.detach()};
  return lora;
}

double accuracy(const Parameters& parameters, const Lora* lora, const TrainingData& data) {
  at::NoGradGuard noGrad;
  const std::int64_t n = data.inputs.size(0);
  std::int64_t correct = 0;
  for (std::int64_t start = 0; start < n; start += 1024) {
    const std::int64_t count = std::min<std::int64_t>(1024, n - start);
    const auto logits = mlpForward(parameters, lora, data.inputs.narrow(0, start, count));
    correct += logits.argmax(1).eq(data.labels.narrow(0, start, count)).sum().item<std::int64_t>();
  }
  return n ? double(correct) / double(n) : 0.0;
}

} // namespace mg::demo
