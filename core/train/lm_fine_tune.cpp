// fineTuneLanguageModel (train/fine_tune.h): a causal language model's LoRA, IA³ or chosen tensors trained
// on text tasks through core/lm, scored on held-apart examples with core/lm_eval's scoring.
#include <ATen/ATen.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <regex>
#include <set>
#include <stdexcept>

#include "io/atomic_folder.h"
#include "io/io_error.h"
#include "io/peft_adapter.h"
#include "io/text_task_file.h"
#include "lm/adapter_factors.h"
#include "lm/causal_lm.h"
#include "lm/run_options.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"
#include "tensor/intra_op_threads.h"
#include "tensor/torch_convert.h"
#include "text/tokenizer.h"
#include "train/few_shot.h"
#include "train/fine_tune.h"
#include "train/lm_losses.h"
#include "train/lm_outputs.h"
#include "train/lm_targets.h"
#include "train/training_loop.h"

namespace fs = std::filesystem;

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

std::string absolutePath(const std::string& path) {
  std::error_code ec;
  const auto absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
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
  if (options.method == Method::Full && !continueFrom.empty())
    throw std::invalid_argument("a full fine-tune starts from the base model: to go on from an earlier one, "
                                "make it the base (continue_from is for adapters)");
  if (options.method == Method::Ia3)
    throw std::invalid_argument("IA³ fine-tuning of language models is not available yet");
  const auto data = lmFewShotData(tasks, options);
  if (data.train.empty()) throw std::invalid_argument("no training example left after the validation ones");

  io::AtomicFolder staging(outFolder);
  const std::string folder = staging.stagingPath();
  lm::LoadOptions load;
  load.weights = base.weights;
  io::LoraConfig loraConfig;
  std::unique_ptr<lm::CausalLm> model;
  std::vector<at::Tensor> trainable;
  std::string description;
  if (options.method == Method::Lora) {
    if (!continueFrom.empty()) {
      // The adapter keeps its own modules, rank and scaling; dropout is this training's.
      const io::PeftAdapter previous(continueFrom);
      loraConfig = previous.config();
      load.adapters = {continueFrom};
    } else {
      const auto probe = lm::CausalLm::load(base.folder, load);
      const auto targets = lmTargets(probe->config(), probe->linearModules(), options);
      loraConfig.r = options.lora.rank;
      loraConfig.loraAlpha = options.lora.alpha;
      loraConfig.useRslora = options.lora.rsLora;
      loraConfig.fanInFanOut = probe->config().architecture == lm::Architecture::Gpt2; // Conv1D, as PEFT sets
      if (targets.regex.empty()) {
        loraConfig.targetModules = targets.patterns;
      } else {
        loraConfig.targetModules = {targets.regex};
        loraConfig.targetModulesIsString = true;
      }
      loraConfig.baseModelNameOrPath = absolutePath(base.folder);
      io::writePeftAdapter(folder, loraConfig,
                           freshLmLoraFactors(*probe, targets.modules, options.lora.rank, options.seed));
      load.adapters = {folder};
    }
    loraConfig.loraDropout = options.lora.dropout;
    model = lm::CausalLm::load(base.folder, load);
    for (const auto& f : model->adapterFactors()) {
      trainable.push_back(f.a);
      trainable.push_back(f.b);
    }
    if (options.lora.dropout > 0) model->setAdapterDropout(options.lora.dropout, options.seed);
    description = "LoRA fine-tuned by Merganser on " + std::to_string(tasks.size()) + " text task(s)";
  } else {
    load.writableWeights = true;
    model = lm::CausalLm::load(base.folder, load);
    std::set<std::string> chosen;
    if (options.fullTensors.empty()) {
      for (const auto& module : lmTargets(model->config(), model->linearModules(), options).modules) {
        chosen.insert(module + ".weight");
        chosen.insert(module + ".bias");
      }
    }
    std::regex pattern;
    try {
      pattern = std::regex(options.fullTensors.empty() ? std::string("$^") : options.fullTensors);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument("full_tensors: '" + options.fullTensors +
                                  "' is not a valid regular expression (" + e.what() + ")");
    }
    for (const auto& p : model->parameters())
      if (chosen.count(p.name) || (!options.fullTensors.empty() && std::regex_match(p.name, pattern)))
        trainable.push_back(p.tensor);
    if (trainable.empty())
      throw std::invalid_argument("full_tensors '" + options.fullTensors +
                                  "' matches no tensor of the model (e.g. " +
                                  model->parameters().front().name + ")");
    description = "fine-tuned by Merganser on " + std::to_string(tasks.size()) + " text task(s)";
  }

  // Every example tokenized before the first step: one that cannot train fails here.
  const auto maxLength = lm_eval::CausalLmScorer(*model, {}).maxLength();
  std::vector<LmTrainingExample> examples;
  for (const auto& [t, i] : data.train)
    examples.push_back(lmTrainingExample(*base.tokenizer, tasks[t], tasks[t].examples[i], maxLength));

  const tensor::ScopedIntraOpThreads threads(lm::passThreads({}, model->config()));
  TrainingLoop loop;
  loop.parameters = trainable;
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

  if (options.method == Method::Lora)
    writeLmLoraAdapter(folder, *model, loraConfig, description);
  else
    writeLmModelFolder(folder, *model, base.folder, description);
  staging.commit();
  result.folder = outFolder;
  return result;
}

} // namespace mg::train
