// merganser-cli train --base B --tasks T [--task NAME,...] [--adapter DIR] [--method lora|ia3|full] [--rank
// R]
//                     [--examples K] [--steps N] ... --out DIR [--json]
// Fine-tunes a specialist of a classifier (task files) or a causal language model (text tasks) as the
// Fine-tune node does, printing the training curve's points as they come and the final validation score.
// Every Fine-tune node parameter is an option of the same name with dashes (learning_rate: --learning-rate).
// Ctrl+C stops training and keeps the best checkpoint so far in --out.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "io/hf_model_folder.h"
#include "io/io_error.h"
#include "io/task_file.h"
#include "io/text_task_file.h"
#include "text/tokenizer.h"
#include "train/fine_tune.h"
#include "train/fine_tune_settings.h"
#include "util/comma_list.h"
#include "util/percent_text.h"
#include "weights/open_weights.h"

namespace mg::cli {

namespace {

constexpr const char* kUsage =
    "usage: merganser-cli train --base MODEL --tasks PATH [--task NAME,...] [--adapter DIR] --out DIR\n"
    "                           [--method lora|ia3|full] [--rank R] [--alpha A] [--rslora true] [--dropout "
    "P]\n"
    "                           [--target-modules M,...] [--target-regex RE] [--feedforward-modules M,...]\n"
    "                           [--full-tensors RE] [--examples K] [--example-unit per_class|per_task]\n"
    "                           [--validation-examples V] [--evaluate-every N] [--patience P]\n"
    "                           [--loss ce|unlikelihood|length_normalized|tfew] [--learning-rate LR]\n"
    "                           [--weight-decay WD] [--schedule cosine|linear|constant] [--warmup-steps W]\n"
    "                           [--batch-size B] [--steps N] [--epochs E] [--gradient-accumulation G]\n"
    "                           [--seed S] [--json]\n"
    "  MODEL: a classifier checkpoint or folder (with task files), or a causal LM's Hugging Face folder\n"
    "  (with text tasks, .jsonl); --adapter continues training an adapter of the same method.\n";

std::string optionOf(std::string setting) {
  std::replace(setting.begin(), setting.end(), '_', '-');
  return "--" + setting;
}

void printPoint(const train::CurvePoint& point) {
  std::fprintf(stderr, "step %6lld", static_cast<long long>(point.step));
  if (!std::isnan(point.trainLoss)) std::fprintf(stderr, "  loss %.4f", point.trainLoss);
  if (!std::isnan(point.validation))
    std::fprintf(stderr, "  validation %s", util::percentText(point.validation).c_str());
  std::fprintf(stderr, "\n");
}

nlohmann::ordered_json resultJson(const train::FineTuneResult& result,
                                  const train::FineTuneOptions& options) {
  const auto number = [](double value) {
    return std::isnan(value) ? nlohmann::ordered_json() : nlohmann::ordered_json(value);
  };
  nlohmann::ordered_json j;
  j["output"] = result.folder;
  j["method"] = train::methodName(options.method);
  j["train_examples"] = result.trainExamples;
  j["validation_examples"] = result.validationExamples;
  j["steps"] = result.stepsRun;
  j["best_step"] = result.bestStep;
  j["best_validation"] = number(result.bestValidation);
  j["stopped_early"] = result.stoppedEarly;
  j["cancelled"] = result.cancelled;
  j["seconds"] = result.seconds;
  auto curve = nlohmann::ordered_json::array();
  for (const auto& p : result.curve)
    curve.push_back({{"step", p.step},
                     {"loss", number(p.trainLoss)},
                     {"validation", number(p.validation)},
                     {"seconds", p.seconds}});
  j["curve"] = curve;
  return j;
}

} // namespace

int runTrain(const std::vector<std::string>& argv) {
  std::set<std::string> options = {"--base", "--tasks", "--task", "--adapter", "--out"};
  for (const auto& name : train::fineTuneSettingNames())
    options.insert(optionOf(name));
  const Arguments args(argv, options, {"--json", "--help"});
  if (!args.error().empty()) return usageError("train", args.error(), kUsage);
  if (args.flag("--help")) {
    std::printf("%s", kUsage);
    return kExitOk;
  }
  if (args.value("--base").empty() || args.value("--tasks").empty() || args.value("--out").empty())
    return usageError("train", "--base, --tasks and --out are required", kUsage);
  train::FineTuneOptions fineTune;
  try {
    std::map<std::string, std::string> settings;
    for (const auto& name : train::fineTuneSettingNames())
      if (!args.values(optionOf(name)).empty()) settings[name] = args.value(optionOf(name));
    fineTune = train::fineTuneOptionsFrom(settings);
  } catch (const std::invalid_argument& e) {
    return usageError("train", std::string("--") + e.what(), kUsage);
  }

  engine::CancelToken cancel;
  const CancelOnInterrupt onInterrupt(cancel);
  train::TrainingEvents events;
  events.cancel = &cancel;
  events.point = printPoint;
  const std::string base = args.value("--base"), tasksPath = args.value("--tasks");
  const auto names = util::commaList(args.value("--task"));
  train::FineTuneResult result;
  try {
    if (io::holdsTextTasks(tasksPath)) {
      train::LanguageModelBase lm{base, nullptr, text::loadTokenizer(base)};
      result = train::fineTuneLanguageModel(lm, train::tasksNamed(io::readTextTaskSet(tasksPath), names),
                                            fineTune, args.value("--adapter"), args.value("--out"), events);
    } else {
      const auto opened = engine::openWeights(base, nullptr);
      train::ClassifierBase classifier{
          opened.weights, std::dynamic_pointer_cast<const io::HfModelFolder>(opened.source), base};
      result = train::fineTuneClassifier(classifier, train::tasksNamed(io::readTaskSet(tasksPath), names),
                                         fineTune, args.value("--adapter"), args.value("--out"), events);
    }
  } catch (const io::IoError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "merganser-cli train: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "merganser-cli train: %s\n", e.what());
    return kExitFailure;
  }
  if (args.flag("--json")) {
    std::printf("%s\n", resultJson(result, fineTune).dump(2).c_str());
  } else {
    std::printf("wrote %s: %s, %lld steps on %lld examples in %.1f s", result.folder.c_str(),
                train::methodName(fineTune.method), static_cast<long long>(result.stepsRun),
                static_cast<long long>(result.trainExamples), result.seconds);
    if (!std::isnan(result.bestValidation))
      std::printf("; validation %s at step %lld (%lld examples)",
                  util::percentText(result.bestValidation).c_str(), static_cast<long long>(result.bestStep),
                  static_cast<long long>(result.validationExamples));
    if (result.stoppedEarly) std::printf("; stopped early");
    if (result.cancelled) std::printf("; interrupted: the best checkpoint so far was kept");
    std::printf("\n");
  }
  return result.cancelled ? kExitFailure : kExitOk;
}

} // namespace mg::cli
