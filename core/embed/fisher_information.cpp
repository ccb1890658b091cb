#include "embed/fisher_information.h"

#include <ATen/ATen.h>

#include <stdexcept>
#include <vector>

#include "embed/task_batches.h"
#include "eval/classifier.h"
#include "io/task_file.h"
#include "weights/tensor_map_weights.h"

namespace mg::embed {

at::Tensor expectedSquaredScore(const at::Tensor& p, const at::Tensor& rows) {
  return (at::mm(p, rows * rows) - at::mm(p, rows).pow(2)).clamp_min(0);
}

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

  std::vector<std::string> names;
  std::vector<at::Tensor> params;
  for (const auto& [name, leaf] : leaves) {
    names.push_back(name);
    params.push_back(leaf);
  }
  at::Tensor sum = at::zeros({0}, at::kDouble);
  std::vector<bool> reached(params.size(), false);
  for (std::int64_t n = 0; n < count; ++n) {
    if (options.cancel) options.cancel->throwIfCancelled();
    const at::Tensor logits = classifier->differentiableLogits(inputs.slice(0, n, n + 1), task.name);
    if (!logits.requires_grad())
      throw std::runtime_error(classifier->describe() + ": its logits carry no gradient to the weights");
    const at::Tensor p = at::softmax(logits.detach(), 1); // [1, C]
    const std::int64_t classes = logits.size(1);
    // Row c: the gradient of z_c with respect to every parameter, flattened side by side.
    std::vector<at::Tensor> rows;
    for (std::int64_t c = 0; c < classes; ++c) {
      for (auto& leaf : params)
        if (leaf.grad().defined()) leaf.mutable_grad().zero_();
      logits[0][c].backward({}, c + 1 < classes);
      std::vector<at::Tensor> flat;
      for (std::size_t k = 0; k < params.size(); ++k) {
        const at::Tensor g = params[k].grad();
        if (g.defined()) reached[k] = true;
        flat.push_back(g.defined() ? g.reshape({-1}) : at::zeros({params[k].numel()}, at::kFloat));
      }
      rows.push_back(at::cat(flat));
    }
    const at::Tensor f = expectedSquaredScore(p, at::stack(rows))[0].to(at::kDouble);
    sum = sum.numel() ? sum.add_(f) : f;
    if (options.progress) options.progress(double(n + 1) / double(count));
  }
  std::map<std::string, at::Tensor> out;
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
