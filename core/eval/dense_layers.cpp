#include "eval/dense_layers.h"

#include <ATen/ATen.h>

#include <regex>
#include <stdexcept>

namespace mg::eval::detail {

at::Tensor ParameterLoader::fetch(const std::string& name, const std::vector<std::int64_t>& expected) {
  const auto* info = weights_.find(name);
  if (!info) {
    problems_.push_back(name + " is missing");
    return {};
  }
  if (info->shape != expected) {
    problems_.push_back(name + " has shape " + io::shapeToString(info->shape) + ", expected " +
                        io::shapeToString(expected));
    return {};
  }
  return weights_.load(name);
}

void ParameterLoader::throwIfProblems(const std::string& model) const {
  if (problems_.empty()) return;
  std::string text = weights_.describe() + " does not fit the " + model + ":";
  for (const auto& p : problems_)
    text += " " + p + ";";
  text.pop_back();
  throw std::runtime_error(text);
}

DenseLayers DenseLayers::load(ParameterLoader& loader, std::int64_t inputSize,
                              const std::vector<std::int64_t>& hidden, std::int64_t numLabels) {
  DenseLayers dense;
  dense.inputSize = inputSize;
  std::int64_t in = inputSize;
  for (std::size_t i = 0; i < hidden.size(); ++i) {
    const auto prefix = "layers." + std::to_string(i);
    dense.layers.emplace_back(loader.fetch(prefix + ".weight", {hidden[i], in}),
                              loader.fetch(prefix + ".bias", {hidden[i]}));
    in = hidden[i];
  }
  dense.head = {loader.fetch("head.weight", {numLabels, in}), loader.fetch("head.bias", {numLabels})};
  static const std::regex taskHead(R"(^heads\.(.+)\.weight$)");
  for (const auto& info : loader.weights().tensors()) {
    std::smatch match;
    if (std::regex_match(info.name, match, taskHead)) {
      const std::string task = match[1];
      dense.taskHeads[task] = {loader.fetch(info.name, {numLabels, in}),
                               loader.fetch("heads." + task + ".bias", {numLabels})};
    }
  }
  return dense;
}

at::Tensor DenseLayers::forward(at::Tensor h, const std::string& task, std::vector<at::Tensor>* states,
                                const std::function<at::Tensor(const std::string&, const at::Tensor&,
                                                               const at::Tensor&)>* adapter) const {
  if (states) states->assign(1, h);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& [weight, bias] = layers[i];
    auto out = at::addmm(bias, h, weight.t());
    if (adapter) out = (*adapter)("layers." + std::to_string(i), h, out);
    h = at::relu(out);
    if (states) states->push_back(h);
  }
  const auto it = taskHeads.find(task);
  const auto& [weight, bias] = it != taskHeads.end() ? it->second : head;
  auto logits = at::addmm(bias, h, weight.t());
  return adapter ? (*adapter)(it != taskHeads.end() ? "heads." + task : "head", h, logits) : logits;
}

std::vector<at::Tensor> DenseLayers::hiddenStates(at::Tensor h) const {
  std::vector<at::Tensor> states{h};
  for (const auto& [weight, bias] : layers)
    states.push_back(at::relu(at::addmm(bias, states.back(), weight.t())));
  return states;
}

void inferDenseShape(const engine::WeightSet& weights, std::int64_t& inputSize,
                     std::vector<std::int64_t>& hidden, std::int64_t& numLabels, const std::string& model) {
  hidden.clear();
  for (int layer = 0;; ++layer) {
    const auto name = "layers." + std::to_string(layer) + ".weight";
    const auto* w = weights.find(name);
    if (!w) break;
    if (w->shape.size() != 2) throw std::runtime_error(weights.describe() + ": " + name + " is not a matrix");
    if (layer == 0) inputSize = w->shape[1];
    hidden.push_back(w->shape[0]);
  }
  const auto* head = weights.find("head.weight");
  if (!head || head->shape.size() != 2)
    throw std::runtime_error(weights.describe() + " is not " + model + ": it has no head.weight matrix");
  if (hidden.empty()) inputSize = head->shape[1];
  numLabels = head->shape[0];
}

} // namespace mg::eval::detail
