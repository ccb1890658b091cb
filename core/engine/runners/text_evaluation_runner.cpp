#include "engine/runners/text_evaluation_runner.h"

#include <algorithm>
#include <cstdio>

#include "engine/runners/classifier_access.h"
#include "engine/runners/language_model_access.h"
#include "eval/evaluation.h"
#include "io/text_task_file.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"
#include "lm_eval/text_evaluation_over_ranks.h"
#include "util/percent_text.h"

namespace mg::engine {

namespace {

std::string number(const char* format, double value) {
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

} // namespace

eval::TaskScore taskScoreOf(const lm_eval::TextTaskScore& text) {
  eval::TaskScore score;
  score.task = text.task;
  score.examples = text.examples;
  score.textKind = io::textTaskKindName(text.kind);
  score.tokens = text.tokens;
  if (text.kind == io::TextTaskKind::Perplexity) {
    score.perplexity = text.perplexity;
    score.loss = text.tokens > 0 ? -text.logLikelihood / double(text.tokens) : 0.0; // mean NLL per token
  } else {
    score.accuracy = text.accuracy;
  }
  if (text.kind == io::TextTaskKind::MultipleChoice) score.accuracyNorm = text.accuracyNorm;
  return score;
}

std::string factOf(const eval::TaskScore& score) {
  if (score.perplexity) return score.task + ": perplexity " + number("%.4g", *score.perplexity);
  std::string fact = score.task + (score.textKind == "generation" ? ": exact match " : ": accuracy ") +
                     util::percentText(score.accuracy);
  if (score.accuracyNorm) fact += " (normalized by length " + util::percentText(*score.accuracyNorm) + ")";
  return fact;
}

NodeOutputs textTasksSource(const std::string& path) {
  auto tasks = std::make_shared<const std::vector<io::TextTask>>(io::readTextTaskSet(path));
  std::size_t examples = 0;
  for (const auto& task : *tasks)
    examples += task.examples.size();
  NodeOutputs out;
  out.facts.push_back(std::to_string(tasks->size()) + " text tasks, " + std::to_string(examples) +
                      " examples");
  TasksValue value{std::make_shared<const std::vector<io::TaskData>>(), path, std::move(tasks)};
  out.values.emplace_back(std::move(value));
  return out;
}

NodeOutputs evaluateLanguageModel(NodeRunContext& context, const NodeValue& model, const TasksValue& tasks) {
  const LanguageModel loaded = loadInputLanguageModel(context, model, "model");
  const auto& lm = loaded.model;
  const auto& tokenizer = loaded.tokenizer;

  lm::RunOptions run;
  run.batchSize = std::size_t(std::min(kLanguageModelBatch, context.param("batch_size").get<std::int64_t>()));
  run.cancel = context.cancel;
  lm_eval::CausalLmScorer scorer(*lm, run);
  lm_eval::TextEvaluationOptions options;
  options.firstExample = context.param("first_example").get<std::int64_t>();
  options.maxExamples = context.param("max_examples").get<std::int64_t>();
  options.cancel = context.cancel;

  auto scores = std::make_shared<std::vector<eval::TaskScore>>();
  NodeOutputs out;
  out.facts.push_back(lm->describe());
  double sum = 0;
  int accuracyTasks = 0;
  for (std::size_t t = 0; t < tasks.textTasks->size(); ++t) {
    const auto& task = (*tasks.textTasks)[t];
    options.progress = [&](std::int64_t done, std::int64_t total) {
      context.progress((double(t) + (total ? double(done) / double(total) : 0.0)) /
                           double(tasks.textTasks->size()),
                       task.name);
    };
    // Under mpirun each rank scores a part of the examples (lm_eval/text_evaluation_over_ranks.h).
    scores->push_back(taskScoreOf(
        context.ranks ? lm_eval::evaluateTextTaskOverRanks(scorer, *tokenizer, task, options, *context.ranks)
                      : lm_eval::evaluateTextTask(scorer, *tokenizer, task, options)));
    out.facts.push_back(factOf(scores->back()));
    if (scores->back().hasAccuracy()) {
      sum += scores->back().accuracy;
      ++accuracyTasks;
    }
  }
  if (accuracyTasks > 0) out.facts.push_back("mean accuracy " + util::percentText(sum / accuracyTasks));
  ScoresValue value{std::move(scores), inputModelLabel(context, 0, model), inputSourceNode(context, 0)};
  out.results.push_back(value);
  out.values.emplace_back(std::move(value));
  return out;
}

} // namespace mg::engine
