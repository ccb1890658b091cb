// merganser-cli eval --model DIR [--adapter DIR...] --tasks PATH... [--tokenizer DIR] [--batch N]
//                    [--threads N] [--context N] [--max-examples N] [--bf16] [--json]
// A causal language model (core/lm) scored on text tasks (JSON Lines, io/text_task_file.h) as
// lm-evaluation-harness scores them (lm_eval/text_evaluation.h): perplexity, accuracy and accuracy_norm,
// exact_match. `runEval` hands over to it when the tasks are text tasks.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "io/io_error.h"
#include "io/text_task_file.h"
#include "cluster/world.h"
#include "lm/causal_lm.h"
#include "lm/pipeline_stage.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"
#include "lm_eval/text_evaluation_over_ranks.h"
#include "text/tokenizer.h"

namespace mg::cli {

namespace {

constexpr const char* kTextEvalUsage =
    "usage: merganser-cli eval --model DIR [--adapter DIR...] --tasks FILE.jsonl|DIR... [--tokenizer DIR]\n"
    "                          [--batch N] [--threads N] [--context N] [--max-examples N] [--bf16] "
    "[--pipeline] [--json]\n"
    "  under mpirun/srun each rank scores a part of every task's examples with the whole model, or with\n"
    "  --pipeline  each rank holds consecutive decoder blocks, rank 0 also the embeddings and LM head, and\n"
    "              activations pass from rank to rank (a model larger than one machine)\n";

long long positiveNumber(const Arguments& args, const std::string& name, long long fallback) {
  if (args.value(name).empty()) return fallback;
  const long long value = std::stoll(args.value(name));
  if (value < 1) throw std::invalid_argument(name + " must be at least 1");
  return value;
}

nlohmann::ordered_json scoreJson(const lm_eval::TextTaskScore& score) {
  nlohmann::ordered_json j = {{"task", score.task},
                              {"kind", io::textTaskKindName(score.kind)},
                              {"examples", score.examples},
                              {"tokens", score.tokens}};
  switch (score.kind) {
  case io::TextTaskKind::Perplexity:
    j["perplexity"] = score.perplexity;
    j["log_likelihood"] = score.logLikelihood;
    break;
  case io::TextTaskKind::MultipleChoice:
    j["accuracy"] = score.accuracy;
    j["accuracy_norm"] = score.accuracyNorm;
    break;
  case io::TextTaskKind::Generation: j["exact_match"] = score.exactMatch; break;
  }
  return j;
}

void printScore(const lm_eval::TextTaskScore& score) {
  std::printf("%-24s %-16s ", score.task.c_str(), io::textTaskKindName(score.kind));
  switch (score.kind) {
  case io::TextTaskKind::Perplexity: std::printf("perplexity %.4f", score.perplexity); break;
  case io::TextTaskKind::MultipleChoice:
    std::printf("accuracy %.4f  accuracy_norm %.4f", score.accuracy, score.accuracyNorm);
    break;
  case io::TextTaskKind::Generation: std::printf("exact_match %.4f", score.exactMatch); break;
  }
  std::printf("  (%lld examples, %lld tokens)\n", static_cast<long long>(score.examples),
              static_cast<long long>(score.tokens));
}

// A rank other than 0 of `eval --pipeline`: loads its blocks and runs them on what comes until rank 0 is
// done.
int serveStage(const Arguments& args, cluster::Communicator& ranks) {
  std::unique_ptr<lm::CausalLm> model;
  std::string loadError;
  try {
    lm::LoadOptions load;
    if (args.flag("--bf16")) load.dtype = lm::ComputeDtype::BF16;
    load.stage =
        lm::pipelineStage(lm::LmConfig::fromFolder(args.value("--model")).layers, ranks.rank(), ranks.size());
    model = lm::CausalLm::load(args.value("--model"), load);
  } catch (const std::exception& e) { // rank 0 hears of it with its first batch
    loadError = e.what();
  }
  lm::servePipeline(model.get(), loadError, ranks);
  return kExitOk;
}

// Rank 0 of a pipeline stops the others however its work ends.
struct PipelineStop {
  cluster::Communicator* ranks = nullptr;
  ~PipelineStop() {
    if (ranks) lm::stopPipeline(*ranks);
  }
};

} // namespace

int runTextEval(const std::vector<std::string>& argv) {
  const Arguments args(argv,
                       {"--model", "--adapter", "--tasks", "--tokenizer", "--batch", "--threads", "--context",
                        "--max-examples"},
                       {"--bf16", "--json", "--pipeline"});
  if (!args.error().empty()) return usageError("eval", args.error(), kTextEvalUsage);
  if (args.value("--model").empty() || args.values("--tasks").empty())
    return usageError("eval", "--model and --tasks are required", kTextEvalUsage);
  lm::RunOptions run;
  lm_eval::TextEvaluationOptions options;
  std::int64_t context = 0;
  try {
    run.batchSize = std::size_t(positiveNumber(args, "--batch", 8));
    run.threads = args.value("--threads").empty() ? 0 : int(positiveNumber(args, "--threads", 1));
    context = positiveNumber(args, "--context", 0);
    options.maxExamples = positiveNumber(args, "--max-examples", 0);
  } catch (const std::exception& e) {
    return usageError("eval", e.what(), kTextEvalUsage);
  }

  auto& ranks = cluster::world();
  const bool pipeline = args.flag("--pipeline") && ranks.spread();
  if (pipeline && !args.values("--adapter").empty())
    return usageError("eval", "--pipeline runs a model without --adapter (merge the adapter first)",
                      kTextEvalUsage);
  if (pipeline && !ranks.isRoot()) return serveStage(args, ranks);
  const PipelineStop stop{pipeline ? &ranks : nullptr};

  std::vector<io::TextTask> tasks;
  std::unique_ptr<lm::CausalLm> model;
  std::shared_ptr<const text::Tokenizer> tokenizer;
  try {
    for (const auto& path : args.values("--tasks"))
      for (auto& task : io::readTextTaskSet(path))
        tasks.push_back(std::move(task));
    lm::LoadOptions load;
    load.adapters = args.values("--adapter");
    if (args.flag("--bf16")) load.dtype = lm::ComputeDtype::BF16;
    if (pipeline)
      load.stage = lm::pipelineStage(lm::LmConfig::fromFolder(args.value("--model")).layers, 0, ranks.size());
    model = lm::CausalLm::load(args.value("--model"), load);
    if (pipeline) lm::driveThroughRanks(*model, ranks);
    tokenizer = text::loadTokenizer(args.value("--tokenizer").empty() ? args.value("--model")
                                                                      : args.value("--tokenizer"));
  } catch (const std::exception& e) { // io::IoError and the others name their file already
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  }
  for (const auto& task : tasks)
    if (pipeline && task.kind == io::TextTaskKind::Generation)
      return usageError("eval",
                        "task " + task.name +
                            " generates text, which --pipeline does not run (no KV cache "
                            "across ranks): leave it out, or run without --pipeline",
                        kTextEvalUsage);

  engine::CancelToken cancel; // Ctrl+C stops between batches and generation steps
  const CancelOnInterrupt interrupt(cancel);
  run.cancel = &cancel;
  options.cancel = &cancel;
  try {
    lm_eval::CausalLmScorer scorer(*model, run, {}, context);
    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    for (const auto& task : tasks) {
      // Under mpirun: with --pipeline rank 0 scores every example through the ranks' blocks; without it each
      // rank scores a part of the examples with the whole model.
      const auto score = pipeline
                             ? lm_eval::evaluateTextTask(scorer, *tokenizer, task, options)
                             : lm_eval::evaluateTextTaskOverRanks(scorer, *tokenizer, task, options, ranks);
      if (args.flag("--json"))
        results.push_back(scoreJson(score));
      else
        printScore(score);
    }
    if (args.flag("--json")) {
      nlohmann::ordered_json j;
      j["model"] = args.value("--model");
      j["adapters"] = args.values("--adapter");
      j["context"] = scorer.maxLength();
      j["tasks"] = results;
      std::printf("%s\n", j.dump(2).c_str());
    }
    return kExitOk;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "merganser-cli eval: %s\n", e.what());
    return kExitFailure;
  }
}

} // namespace mg::cli
