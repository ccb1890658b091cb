#include "embed/fisher_information.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "embed/task_batches.h"
#include "eval/classifier.h"
#include "io/task_file.h"
#include "weights/tensor_map_weights.h"

namespace mg::embed {

at::Tensor expectedSquaredScore(const at::Tensor& p, const at::Tensor& rows) {
  if (rows.dim() == 2) return (at::mm(p, rows * rows) - at::mm(p, rows).pow(2)).clamp_min(0);
  const at::Tensor weights = p.unsqueeze(1); // [N, 1, C] against rows [N, C, K]
  return (at::bmm(weights, rows * rows) - at::bmm(weights, rows).pow(2)).squeeze(1).clamp_min(0);
}

namespace {

// The dense layers' weights and biases by name, each with the hidden state it reads (index into the states
// of Classifier::differentiableLogits) and the state it writes (-1: the head, whose outputs are the logits).
struct DenseParameter {
  std::string weight, bias;
  std::size_t reads = 0;
  int writes = -1;
};

std::vector<DenseParameter> denseParameters(const eval::Classifier& classifier, const std::string& task,
                                            std::size_t stateCount) {
  std::vector<DenseParameter> out;
  for (std::size_t k = 0; k + 1 < stateCount; ++k)
    out.push_back(
        {"layers." + std::to_string(k) + ".weight", "layers." + std::to_string(k) + ".bias", k, int(k) + 1});
  const std::string head = classifier.hasHeadFor(task) ? "heads." + task : "head";
  out.push_back({head + ".weight", head + ".bias", stateCount - 1, -1});
  return out;
}

} // namespace

std::map<std::string, at::Tensor> parameterFisher(const engine::WeightSet& weights,
                                                  const ClassifierFactory& makeClassifier,
                                                  const io::TaskData& task,
                                                  const ParameterFisherOptions& options) {
  at::AutoGradMode enableGrad(true);
  // Leaves that require grad: the classifier is built from them, so the logits' gradient reaches them.
  std::map<std::string, at::Tensor> leaves;
  for (const auto& info : weights.tensors()) {
    if (!io::isFloatingPoint(info.dtype)) continue;
    leaves.emplace(info.name, weights.load(info.name).to(at::kFloat).requires_grad_(true));
  }
  const auto tracked = std::make_shared<engine::TensorMapWeights>(leaves, weights.describe(), true);
  const auto classifier = makeClassifier(*tracked);
  const auto [inputs, labels] = detail::chosenExamples(*classifier, task, options.examples);
  (void)labels; // the expectation is over the model's own predictive distribution, not the labels
  const std::int64_t count = inputs.size(0);
  std::map<std::string, at::Tensor> out;

  // Dense layers, all examples at once: the gradient of z_c with respect to a layer's weight is, per example,
  // the outer product δ_c·aᵀ (δ_c = ∂z_c/∂ its pre-activation, a = its input), so the expectation over the
  // classes is E_y[(δ_y − Σ_c p_c δ_c)²]_j·a_k²: (1/N)·Vᵀ·(a²) with V = expectedSquaredScore(p, δ) per
  // example.
  std::vector<at::Tensor> states;
  const at::Tensor logits = classifier->differentiableLogits(inputs, task.name, states);
  if (!logits.requires_grad())
    throw std::runtime_error(classifier->describe() + ": its logits carry no gradient to the weights");
  const at::Tensor p = at::softmax(logits.detach(), 1); // [N, C]
  const std::int64_t classes = logits.size(1);
  for (std::size_t k = 1; k < states.size(); ++k)
    states[k].retain_grad();
  std::vector<std::vector<at::Tensor>> deltas(states.size()); // [state][class] = ∂z_c/∂ pre-activation
  for (std::int64_t c = 0; c < classes; ++c) {
    if (options.cancel) options.cancel->throwIfCancelled();
    for (std::size_t k = 1; k < states.size(); ++k)
      if (states[k].grad().defined()) states[k].mutable_grad().zero_();
    logits.select(1, c).sum().backward({}, true);
    for (std::size_t k = 1; k < states.size(); ++k) // through the ReLU: its pre-activation's gradient
      deltas[k].push_back((states[k].grad() * (states[k].detach() > 0)).clone());
  }
  at::NoGradGuard noGrad;
  for (const auto& dense : denseParameters(*classifier, task.name, states.size())) {
    const at::Tensor rows = dense.writes < 0 ? at::eye(classes).unsqueeze(0).expand({count, classes, classes})
                                             : at::stack(deltas[std::size_t(dense.writes)], 1); // [N, C, out]
    const at::Tensor v = expectedSquaredScore(p, rows); // [N, out]
    const at::Tensor a = states[dense.reads].detach();
    if (leaves.count(dense.weight))
      out.emplace(dense.weight, (at::mm(v.t(), a * a) / double(count)).contiguous());
    if (leaves.count(dense.bias)) out.emplace(dense.bias, v.mean(0).contiguous());
  }

  // Everything else the classifier reads (a CNN's convolutions): per example, one backward pass per class.
  std::vector<std::string> names;
  std::vector<at::Tensor> params;
  for (const auto& [name, leaf] : leaves) {
    if (out.count(name)) continue;
    names.push_back(name);
    params.push_back(leaf);
  }
  const bool reachesOthers = std::any_of(params.begin(), params.end(), [](const at::Tensor& t) {
    return t.grad().defined() && t.grad().abs().sum().item<double>() > 0;
  });
  if (!reachesOthers) return out;
  at::AutoGradMode again(true);
  at::Tensor sum;
  std::vector<bool> reached(params.size(), false);
  for (std::int64_t n = 0; n < count; ++n) {
    if (options.cancel) options.cancel->throwIfCancelled();
    const at::Tensor z = classifier->differentiableLogits(inputs.slice(0, n, n + 1), task.name);
    const at::Tensor pn = at::softmax(z.detach(), 1); // [1, C]
    std::vector<at::Tensor> rows; // row c: the gradient of z_c with respect to every parameter, flattened
    for (std::int64_t c = 0; c < classes; ++c) {
      for (auto& leaf : params)
        if (leaf.grad().defined()) leaf.mutable_grad().zero_();
      z[0][c].backward({}, c + 1 < classes);
      std::vector<at::Tensor> flat;
      for (std::size_t k = 0; k < params.size(); ++k) {
        const at::Tensor g = params[k].grad();
        if (g.defined()) reached[k] = true;
        flat.push_back(g.defined() ? g.reshape({-1}) : at::zeros({params[k].numel()}, at::kFloat));
      }
      rows.push_back(at::cat(flat));
    }
    const at::Tensor f = expectedSquaredScore(pn, at::stack(rows))[0].to(at::kDouble);
    sum = sum.defined() ? sum.add_(f) : f;
    if (options.progress) options.progress(double(n + 1) / double(count));
  }
  std::int64_t offset = 0;
  for (std::size_t k = 0; k < params.size(); ++k) {
    const std::int64_t size = params[k].numel();
    if (reached[k])
      out.emplace(names[k], (sum.slice(0, offset, offset + size) / double(count))
                                .reshape(params[k].sizes())
                                .to(at::kFloat)
                                .contiguous());
    offset += size;
  }
  return out;
}

std::map<std::string, at::Tensor> inputGrams(const engine::WeightSet& weights,
                                             const ClassifierFactory& makeClassifier,
                                             const io::TaskData& task, std::int64_t examples,
                                             const engine::CancelToken* cancel) {
  const auto classifier = makeClassifier(weights);
  std::vector<at::Tensor> grams;
  std::int64_t count = 0;
  detail::forEachBatch(*classifier, task, 256, examples, cancel,
                       [&](const at::Tensor&, const std::vector<at::Tensor>& states, const at::Tensor&) {
                         for (std::size_t k = 0; k < states.size(); ++k) {
                           const at::Tensor x = states[k].to(at::kDouble);
                           const at::Tensor g = at::mm(x.t(), x);
                           if (grams.size() <= k)
                             grams.push_back(g);
                           else
                             grams[k].add_(g);
                         }
                         count += states.front().size(0);
                       });
  // hiddenStates: state K is what layers.K reads; the last one what the head reads.
  std::map<std::string, at::Tensor> out;
  for (std::size_t k = 0; k < grams.size(); ++k) {
    const bool head = k + 1 == grams.size();
    const std::string name = !head                               ? "layers." + std::to_string(k) + ".weight"
                             : classifier->hasHeadFor(task.name) ? "heads." + task.name + ".weight"
                                                                 : "head.weight";
    const auto* info = weights.find(name);
    if (!info || info->shape.size() != 2 || info->shape[1] != grams[k].size(0))
      throw std::runtime_error(weights.describe() + ": the dense layer reading hidden state " +
                               std::to_string(k) + " should be " + name + " [out, " +
                               std::to_string(grams[k].size(0)) + "], which " +
                               (info ? "has another shape" : "it does not have"));
    out.emplace(name, (grams[k] / double(count)).to(at::kFloat).contiguous());
  }
  return out;
}

} // namespace mg::embed
