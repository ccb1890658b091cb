// fineTuneLanguageModel (train/fine_tune.h): a causal language model's LoRA, IA³ or chosen tensors trained
// on text tasks through core/lm, scored on held-apart examples with core/lm_eval's scoring.
#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

#include "io/atomic_folder.h"
#include "io/text_task_file.h"
#include "lm/causal_lm.h"
#include "lm/run_options.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"
#include "tensor/intra_op_threads.h"
#include "text/tokenizer.h"
#include "train/few_shot.h"
#include "train/fine_tune.h"
#include "train/lm_losses.h"
#include "train/lm_trainee.h"
#include "train/training_loop.h"

namespace mg::train {

namespace {

// The examples of each task: which train (task, example) and the validation tasks (the held-apart
// examples of each task as a task of its own).
struct LmData {
  std::vector<std::pair<std::size_t, std::size_t>> train;
  std::vector<io::TextTask> validation;
};

LmData lmFewShotData(const std::vector<io::TextTask>& tasks, const FineTuneOptions& options) {
  LmData data;
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const auto& task = tasks[t];
    const bool perClass = options.exampleUnit == ExampleUnit::PerClass &&
                          (options.examples > 0 || options.validationExamples > 0);
    if (perClass && task.kind != io::TextTaskKind::MultipleChoice)
      throw std::invalid_argument("examples per class need multiple-choice tasks (a class is the correct "
                                  "choice's index): task " +
                                  task.name + " is " + io::textTaskKindName(task.kind) +
                                  "; count examples per task (example_unit per_task)");
    std::vector<std::int64_t> groups;
    for (const auto& example : task.examples)
      groups.push_back(perClass ? example.label : 0);
    const auto split = splitFewShot(
        groups, options.examples, options.validationExamples, options.seed + t,
        [&](std::int64_t group, std::size_t size) {
          const std::string of = perClass ? " with correct choice " + std::to_string(group) : std::string();
          return "task " + task.name + " has " + std::to_string(size) + " examples" + of + ": " +
                 (options.examples > 0 ? std::to_string(options.examples) : std::string("some")) +
                 " to train on and " + std::to_string(options.validationExamples) +
                 " for validation need more";
        });
    for (const auto i : split.train)
      data.train.emplace_back(t, i);
    if (!split.validation.empty()) {
      io::TextTask held = task;
      held.examples.clear();
      for (const auto i : split.validation)
        held.examples.push_back(task.examples[i]);
      data.validation.push_back(std::move(held));
    }
  }
  return data;
}

// The mean accuracy over the validation tasks, as core/lm_eval scores them (multiple choice: acc;
// generation: exact match; perplexity, which has no accuracy: 1 / perplexity, the geometric mean of the
// probability per token).
double lmValidationScore(const lm::CausalLm& model, const text::Tokenizer& tokenizer,
                         const std::vector<io::TextTask>& tasks) {
  // Not cancelled midway: the training loop checks between steps, so a cancel keeps the scores it has.
  lm_eval::CausalLmScorer scorer(model, {});
  double sum = 0;
  for (const auto& task : tasks) {
    const auto score = lm_eval::evaluateTextTask(scorer, tokenizer, task);
    sum += task.kind == io::TextTaskKind::Perplexity ? 1.0 / score.perplexity : score.accuracy;
  }
  return sum / double(tasks.size());
}

} // namespace

FineTuneResult fineTuneLanguageModel(const LanguageModelBase& base, const std::vector<io::TextTask>& tasks,
                                     const FineTuneOptions& options, const std::string& continueFrom,
                                     const std::string& outFolder, const TrainingEvents& events) {
  if (const auto problem = problemWith(options)) throw std::invalid_argument(*problem);
  if (tasks.empty()) throw std::invalid_argument("no task to fine-tune on");
  if (!base.tokenizer) throw std::invalid_argument("the base model " + base.folder + " has no tokenizer");
  if (needsChoices(options.lmLoss))
    for (const auto& task : tasks)
      if (task.kind != io::TextTaskKind::MultipleChoice)
        throw std::invalid_argument(std::string("loss ") + lmLossName(options.lmLoss) +
                                    " compares choices and needs multiple-choice tasks: task " + task.name +
                                    " is " + io::textTaskKindName(task.kind));
  const auto data = lmFewShotData(tasks, options);
  if (data.train.empty()) throw std::invalid_argument("no training example left after the validation ones");

  io::AtomicFolder staging(outFolder);
  const std::string folder = staging.stagingPath();
  auto trainee = lmTrainee(base, options, continueFrom, folder,
                           "fine-tuned by Merganser on " + std::to_string(tasks.size()) + " text task(s)");
  const auto& model = trainee.model;
  // Every example tokenized before the first step: one that cannot train fails here.
  const auto maxLength = lm_eval::CausalLmScorer(*model, {}).maxLength();
  std::vector<LmTrainingExample> examples;
  for (const auto& [t, i] : data.train)
    examples.push_back(lmTrainingExample(*base.tokenizer, tasks[t], tasks[t].examples[i], maxLength));

  const tensor::ScopedIntraOpThreads threads(lm::passThreads({}, model->config()));
  TrainingLoop loop;
  loop.parameters = trainee.parameters;
  loop.examples = std::int64_t(examples.size());
  loop.loss = [&](const std::vector<std::int64_t>& batch) {
    std::vector<const LmTrainingExample*> chosen;
    for (const auto i : batch)
      chosen.push_back(&examples[std::size_t(i)]);
    return lmLossTerms(*model, chosen, options.lmLoss).total();
  };
  if (!data.validation.empty())
    loop.validate = [&] { return lmValidationScore(*model, *base.tokenizer, data.validation); };
  auto result = runTrainingLoop(loop, options, events);
  model->setAdapterDropout(0);
  result.trainExamples = std::int64_t(examples.size());
  for (const auto& task : data.validation)
    result.validationExamples += std::int64_t(task.examples.size());

  trainee.write(folder);
  staging.commit();
  result.folder = outFolder;
  return result;
}

} // namespace mg::train
