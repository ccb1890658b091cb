#include "embed/fisher_embedding.h"

#include <ATen/ATen.h>
#include <torch/optim/adam.h>

#include <stdexcept>

#include "embed/fisher_information.h"
#include "embed/task_batches.h"
#include "eval/classifier.h"
#include "io/task_file.h"

namespace mg::embed {

namespace {

struct ProbeStates {
  at::Tensor input;  // a: what the last hidden layer reads [N, in]
  at::Tensor hidden; // h: its output, what the head reads [N, H]
  at::Tensor labels; // [N]
};

// `ownLabels`: label each example by the probe's own prediction instead of the task's label.
ProbeStates runTrunk(const eval::Classifier& probe, const std::vector<const io::TaskData*>& tasks,
                     const FisherOptions& options, bool ownLabels = false) {
  std::vector<at::Tensor> inputs, hidden, labels;
  for (const auto* task : tasks) {
    detail::forEachBatch(
        probe, *task, options.batchSize, options.maxExamples, options.cancel,
        [&](const at::Tensor& batch, const std::vector<at::Tensor>& states, const at::Tensor& y) {
          if (states.size() < 2)
            throw std::runtime_error(probe.describe() + " has no hidden layer: a Fisher embedding needs one");
          inputs.push_back(states[states.size() - 2]);
          hidden.push_back(states.back());
          labels.push_back(ownLabels ? probe.logits(batch).argmax(1) : y.clone());
        });
  }
  return {at::cat(inputs), at::cat(hidden), at::cat(labels)};
}

// Softmax regression on fixed features, from zeros, full batch (deterministic): the refit head (V, c).
std::pair<at::Tensor, at::Tensor> refitHead(const at::Tensor& features, const at::Tensor& labels,
                                            std::int64_t classes, const FisherOptions& options) {
  at::AutoGradMode enable(true);
  at::Tensor weight = at::zeros({classes, features.size(1)}).requires_grad_(true);
  at::Tensor bias = at::zeros({classes}).requires_grad_(true);
  torch::optim::Adam optimizer(
      {weight, bias}, torch::optim::AdamOptions(options.learningRate).weight_decay(options.weightDecay));
  for (int step = 0; step < options.headSteps; ++step) {
    if (options.cancel && step % 50 == 0) options.cancel->throwIfCancelled();
    optimizer.zero_grad();
    const at::Tensor loss = at::cross_entropy_loss(at::addmm(bias, features, weight.t()), labels);
    loss.backward();
    optimizer.step();
  }
  return {weight.detach(), bias.detach()};
}

std::vector<float> fisherOf(const ProbeStates& states, std::int64_t classes, const FisherOptions& options) {
  const auto [v, c] = refitHead(states.hidden, states.labels, classes, options);
  at::NoGradGuard noGrad;
  const at::Tensor p = at::softmax(at::addmm(c, states.hidden, v.t()), 1);  // [N, C]
  // ∂z_c/∂h_j = V_cj: E_y[(Vᵀ(p − e_y))_j²] by the identity of fisher_information.h.
  const at::Tensor expectedSquare = expectedSquaredScore(p, v);
  const at::Tensor active = (states.hidden > 0).to(at::kFloat);
  const at::Tensor inputPower = states.input.pow(2).mean(1, true); // mean_k a_k²
  const at::Tensor fisher = (expectedSquare * active * inputPower).mean(0).contiguous();
  return std::vector<float>(fisher.data_ptr<float>(), fisher.data_ptr<float>() + fisher.numel());
}

std::int64_t classCount(const io::TaskData& task, const at::Tensor& labels) {
  const std::int64_t seen = labels.numel() ? labels.max().item<std::int64_t>() + 1 : 1;
  return std::max<std::int64_t>(std::int64_t(task.labelNames.size()), seen);
}

} // namespace

std::vector<float> fisherEmbedding(const eval::Classifier& probe, const io::TaskData& task,
                                   const FisherOptions& options) {
  const ProbeStates states = runTrunk(probe, {&task}, options);
  return fisherOf(states, classCount(task, states.labels), options);
}

std::vector<float> trivialFisherEmbedding(const eval::Classifier& probe,
                                          const std::vector<io::TaskData>& tasks,
                                          const FisherOptions& options) {
  if (tasks.empty()) throw std::runtime_error("the trivial task needs the inputs of at least one task");
  std::vector<const io::TaskData*> all;
  for (const auto& task : tasks)
    all.push_back(&task);
  const ProbeStates states = runTrunk(probe, all, options, true);
  std::int64_t classes = probe.numLabels();
  if (classes <= 0) classes = classCount(tasks.front(), states.labels);
  return fisherOf(states, classes, options);
}

} // namespace mg::embed
