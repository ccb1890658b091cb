#include "engine/runners/text_routing.h"

#include <algorithm>

#include "engine/runners/language_model_access.h"
#include "engine/runners/text_evaluation_runner.h"
#include "eval/evaluation.h"
#include "lm_eval/causal_lm_scorer.h"
#include "route/lm_router.h"

namespace mg::engine {

RoutedTextTasks routeTextTasks(NodeRunContext& context, const ModelValue& base, const TasksValue& tasks,
                               const TasksValue* fit,
                               const std::vector<std::pair<std::string, std::string>>& adapters,
                               const route::RouterOptions& options) {
  if (fit && !fit->textTasks)
    throw std::runtime_error(
        "input 'fit' of " + context.describe() +
        ": the router of text tasks fits on text tasks (JSON Lines), not classifier task files");
  std::vector<std::string> names, folders;
  for (const auto& [name, folder] : adapters) {
    names.push_back(name);
    folders.push_back(folder);
  }
  const auto loaded = loadLanguageModel(context, base, "base", folders);
  lm::RunOptions run;
  run.batchSize = std::size_t(kLanguageModelBatch);
  run.cancel = context.cancel;
  context.progress(-1, "fitting the router");
  const route::LmRouter router(*loaded.model, *loaded.tokenizer, names, *(fit ? fit : &tasks)->textTasks,
                               options, run);
  lm_eval::CausalLmScorer scorer(*loaded.model, run);
  lm_eval::TextEvaluationOptions evaluation;
  evaluation.cancel = context.cancel;
  RoutedTextTasks out{std::make_shared<std::vector<eval::TaskScore>>(), router.describe(),
                      loaded.model->describe()};
  const auto count = double(tasks.textTasks->size());
  for (std::size_t t = 0; t < tasks.textTasks->size(); ++t) {
    const auto& task = (*tasks.textTasks)[t];
    evaluation.progress = [&](std::int64_t done, std::int64_t total) {
      context.progress((double(t) + (total ? double(done) / double(total) : 0.0)) / count, task.name);
    };
    const auto routed = route::evaluateRoutedText(router, scorer, *loaded.tokenizer, task, evaluation);
    auto score = taskScoreOf(routed.score);
    score.routedTo = names;
    score.routedCounts = routed.routedCounts;
    const auto own = std::find(names.begin(), names.end(), task.name);
    if (own != names.end() && routed.score.examples > 0)
      score.routingAccuracy =
          double(routed.routedCounts[std::size_t(own - names.begin())]) / double(routed.score.examples);
    out.scores->push_back(std::move(score));
  }
  return out;
}

} // namespace mg::engine
