// fineTuneClassifier (train/fine_tune.h): a classifier's LoRA, IA³ or chosen tensors trained on task files,
// through a classifier rebuilt on the trained weights at every step (eval::loadClassifier), scored on the
// held-apart examples of every task.
#include <ATen/ATen.h>

#include <map>
#include <memory>
#include <stdexcept>

#include "eval/classifier.h"
#include "io/atomic_folder.h"
#include "io/hf_model_folder.h"
#include "io/task_file.h"
#include "train/classifier_trainee.h"
#include "train/few_shot.h"
#include "train/fine_tune.h"
#include "train/training_loop.h"
#include "weights/tensor_map_weights.h"

namespace mg::train {

namespace {

// One task's examples as tensors, and which of them train and validate.
struct ClassifierTaskData {
  std::string name;
  at::Tensor inputs, labels; // [N, ...] float32, [N] int64
  at::Tensor validation;     // indices of the held-apart examples (int64)
};

struct ClassifierData {
  std::vector<ClassifierTaskData> tasks;
  std::vector<std::pair<std::size_t, std::int64_t>> train; // (task, example)
  std::int64_t validationExamples = 0;
};

ClassifierData classifierFewShotData(const std::vector<io::TaskData>& tasks, const FineTuneOptions& options) {
  ClassifierData data;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const auto& task = tasks[t];
    if (task.size() == 0) throw std::invalid_argument("task " + task.name + " has no examples");
    const bool perClass = options.exampleUnit == ExampleUnit::PerClass;
    std::vector<std::int64_t> groups;
    for (const auto label : task.labels)
      groups.push_back(perClass ? label : 0);
    const auto split = splitFewShot(
        groups, options.examples, options.validationExamples, options.seed + t,
        [&](std::int64_t group, std::size_t size) {
          const std::string of =
              perClass ? " of class '" +
                             (std::size_t(group) < task.labelNames.size() ? task.labelNames[group]
                                                                          : std::to_string(group)) +
                             "'"
                       : std::string();
          const std::string held = std::to_string(options.validationExamples) + " for validation";
          if (options.examples == 0)
            return "task " + task.name + " has " + std::to_string(size) + " examples" + of +
                   ": none left to train on after the " + held;
          return "task " + task.name + " has " + std::to_string(size) + " examples" + of +
                 ", fewer than the " + std::to_string(options.examples) + " to train on and " + held +
                 " asked";
        });
    ClassifierTaskData tensors;
    tensors.name = task.name;
    tensors.inputs =
        at::from_blob(const_cast<float*>(task.inputs.data()), task.inputShape, at::kFloat).clone();
    tensors.labels =
        at::from_blob(const_cast<std::int64_t*>(task.labels.data()), {task.size()}, at::kLong).clone();
    std::vector<std::int64_t> held(split.validation.begin(), split.validation.end());
    tensors.validation = at::tensor(held, at::kLong);
    data.validationExamples += std::int64_t(held.size());
    for (const auto i : split.train)
      data.train.emplace_back(t, std::int64_t(i));
    data.tasks.push_back(std::move(tensors));
  }
  if (data.train.empty()) throw std::invalid_argument("no training example left after the validation ones");
  return data;
}

std::unique_ptr<eval::Classifier> classifierOn(std::map<std::string, at::Tensor> weights,
                                               const ClassifierBase& base) {
  return eval::loadClassifier(
      engine::TensorMapWeights(std::move(weights), "the model being fine-tuned", /*keepHistory=*/true),
      base.config.get());
}

} // namespace

FineTuneResult fineTuneClassifier(const ClassifierBase& base, const std::vector<io::TaskData>& tasks,
                                  const FineTuneOptions& options, const std::string& continueFrom,
                                  const std::string& outFolder, const TrainingEvents& events) {
  if (const auto problem = problemWith(options)) throw std::invalid_argument(*problem);
  if (tasks.empty()) throw std::invalid_argument("no task to fine-tune on");
  if (!base.weights) throw std::invalid_argument("no base model to fine-tune");
  const auto data = classifierFewShotData(tasks, options);

  std::map<std::string, at::Tensor> tensors;
  for (const auto& info : base.weights->tensors())
    tensors[info.name] = base.weights->load(info.name);
  // The base must run on the tasks' examples, with gradients (a TorchScript archive cannot).
  const auto probe = classifierOn(tensors, base);
  for (const auto& task : data.tasks) {
    const auto shape = task.inputs.sizes().vec();
    if (const auto problem = probe->inputProblem({shape.begin() + 1, shape.end()}))
      throw std::invalid_argument("task " + task.name + " does not fit " + probe->describe() + ": " +
                                  *problem);
  }
  try {
    at::AutoGradMode grad(true);
    probe->differentiableLogits(data.tasks.front().inputs.narrow(0, 0, 1), data.tasks.front().name);
  } catch (const std::runtime_error& error) {
    throw std::invalid_argument(probe->describe() + " cannot be fine-tuned: " + error.what());
  }

  io::AtomicFolder staging(outFolder);
  auto trainee = classifierTrainee(base, tensors, options, continueFrom,
                                   "fine-tuned by Merganser on " + std::to_string(tasks.size()) + " task(s)");

  TrainingLoop loop;
  loop.parameters = trainee.parameters;
  loop.examples = std::int64_t(data.train.size());
  // The classifier is rebuilt at every step only when its weights follow the parameters (convolutions, a full
  // fine-tune); dense layers' adapters run beside weights that stay as they are.
  const std::shared_ptr<const eval::Classifier> fixed =
      trainee.weightsChange ? nullptr
                            : std::shared_ptr<const eval::Classifier>(classifierOn(trainee.weights(), base));
  const auto current = [&]() -> std::shared_ptr<const eval::Classifier> {
    return fixed ? fixed : std::shared_ptr<const eval::Classifier>(classifierOn(trainee.weights(), base));
  };
  const auto logitsOf = [&](const eval::Classifier& model, const at::Tensor& inputs,
                            const std::string& task) {
    return trainee.dense ? model.adaptedLogits(inputs, task, trainee.dense)
                         : model.differentiableLogits(inputs, task);
  };
  loop.loss = [&](const std::vector<std::int64_t>& batch) {
    const auto model = current();
    std::map<std::size_t, std::vector<std::int64_t>> byTask;
    for (const auto i : batch) {
      const auto& [task, example] = data.train[std::size_t(i)];
      byTask[task].push_back(example);
    }
    at::Tensor total = at::zeros({}, at::kFloat);
    for (const auto& [t, examples] : byTask) {
      const auto& task = data.tasks[t];
      const auto index = at::tensor(examples, at::kLong);
      const auto logits = logitsOf(*model, task.inputs.index_select(0, index), task.name);
      total =
          total + at::cross_entropy_loss(logits, task.labels.index_select(0, index), {}, at::Reduction::Sum);
    }
    return total / double(batch.size());
  };
  if (data.validationExamples > 0)
    loop.validate = [&] {
      const auto model = current();
      double sum = 0;
      std::size_t scored = 0;
      for (const auto& task : data.tasks) {
        if (task.validation.numel() == 0) continue;
        const auto logits = logitsOf(*model, task.inputs.index_select(0, task.validation), task.name);
        sum += logits.argmax(1)
                   .eq(task.labels.index_select(0, task.validation))
                   .to(at::kDouble)
                   .mean()
                   .item<double>();
        ++scored;
      }
      return sum / double(scored); // the tasks' mean accuracy
    };
  auto result = runTrainingLoop(loop, options, events);
  result.trainExamples = loop.examples;
  result.validationExamples = data.validationExamples;
  trainee.write(staging.stagingPath());
  staging.commit();
  result.folder = outFolder;
  return result;
}

} // namespace mg::train
