// merganser-cli eval --model PATH [--base B] --tasks PATH [--tasks PATH ...] [--torchscript FILE] [--batch N]
//                    [--threads N] [--json]
// Per-task accuracy of a classifier checkpoint (or an adapter applied to --base) on task files or folders:
// a built-in architecture, or a TorchScript archive run with the checkpoint's parameters.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "weights/open_weights.h"
#include "cluster/world.h"
#include "eval/evaluation_over_ranks.h"
#include "eval/classifier.h"
#include "io/hf_model_folder.h"
#include "io/io_error.h"
#include "io/text_task_file.h"

namespace mg::cli {

int runEval(const std::vector<std::string>& argv) {
  // Text tasks (JSON Lines) are for language models: their own options and scores.
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == "--tasks" && io::holdsTextTasks(argv[i + 1])) return runTextEval(argv);
  static constexpr const char* kUsage = "usage: merganser-cli eval --model PATH [--base B] --tasks PATH "
                                        "[--tasks PATH ...] [--torchscript FILE] [--batch N] [--threads N] "
                                        "[--json]\n";
  const Arguments args(argv, {"--model", "--base", "--tasks", "--batch", "--torchscript", "--threads"},
                       {"--json"});
  if (!args.error().empty()) return usageError("eval", args.error(), kUsage);
  if (args.value("--model").empty() || args.values("--tasks").empty())
    return usageError("eval", "--model and --tasks are required", kUsage);
  eval::EvaluationOptions options;
  try {
    if (!args.value("--batch").empty()) options.batchSize = std::stoll(args.value("--batch"));
    if (options.batchSize < 1) throw std::invalid_argument("--batch must be at least 1");
    if (!args.value("--threads").empty()) options.threads = std::stoi(args.value("--threads"));
    if (options.threads < 0) throw std::invalid_argument("--threads must be at least 1 (0: one per core)");
  } catch (const std::exception& e) {
    return usageError("eval", e.what(), kUsage);
  }

  std::vector<io::TaskData> tasks;
  std::unique_ptr<eval::Classifier> model;
  try {
    engine::OpenedWeights base;
    if (!args.value("--base").empty()) base = engine::openWeights(args.value("--base"), nullptr);
    const auto opened = engine::openWeights(args.value("--model"), base.weights);
    for (const auto& path : args.values("--tasks")) {
      auto set = io::readTaskSet(path);
      for (auto& task : set)
        tasks.push_back(std::move(task));
    }
    // An adapter's architecture is its base's (config.json, or an archive beside it).
    const auto* folder = dynamic_cast<const io::HfModelFolder*>(
        (opened.isAdapter && base.source ? base.source : opened.source).get());
    model = eval::loadClassifier(*opened.weights, folder, args.value("--torchscript"));
  } catch (const io::IoError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) { // named after the model unless the message already starts with it
    const std::string what = e.what(), model = args.value("--model");
    std::fprintf(stderr, "%s\n", what.rfind(model, 0) == 0 ? what.c_str() : (model + ": " + what).c_str());
    return kExitBadInput;
  }

  engine::CancelToken cancel; // Ctrl+C stops between batches
  const CancelOnInterrupt interrupt(cancel);
  options.cancel = &cancel;
  try {
    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    double sum = 0;
    for (const auto& task : tasks) {
      // Under mpirun/srun each rank scores a part of the examples; every rank gets the whole score.
      const auto score = eval::evaluateOverRanks(*model, task, options, cluster::world());
      sum += score.accuracy;
      if (args.flag("--json")) {
        results.push_back({{"task", score.task},
                           {"examples", score.examples},
                           {"accuracy", score.accuracy},
                           {"loss", score.loss},
                           {"confusion", score.confusion}});
      } else {
        std::printf("%-28s accuracy %.4f  loss %.4f  (%lld examples)\n", score.task.c_str(), score.accuracy,
                    score.loss, static_cast<long long>(score.examples));
      }
    }
    const double mean = tasks.empty() ? 0.0 : sum / double(tasks.size());
    if (args.flag("--json")) {
      nlohmann::ordered_json j;
      j["model"] = args.value("--model");
      j["tasks"] = results;
      j["mean_accuracy"] = mean;
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf("%-28s accuracy %.4f\n", "mean", mean);
    }
    return kExitOk;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "merganser-cli eval: %s\n", e.what());
    return kExitFailure;
  }
}

} // namespace mg::cli
