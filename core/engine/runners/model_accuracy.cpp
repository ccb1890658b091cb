#include "engine/runners/model_accuracy.h"

#include "engine/runners/classifier_access.h"
#include "engine/runners/language_model_access.h"
#include "eval/evaluation.h"
#include "lm_eval/causal_lm_scorer.h"
#include "lm_eval/text_evaluation.h"

namespace mg::engine {

namespace {

AccuracyOn classifierAccuracy(NodeRunContext& context, const TasksValue& tasks, std::int64_t examples) {
  return [&context, &tasks, examples](const NodeValue& model, const std::string& label,
                                      const std::vector<std::size_t>& indices) {
    const auto classifier = loadInputClassifier(context, model, context.input("base"), label);
    eval::EvaluationOptions options;
    options.maxExamples = examples;
    options.cancel = context.cancel;
    std::vector<double> out;
    for (const auto t : indices)
      out.push_back(eval::evaluate(*classifier, (*tasks.tasks)[t], options).accuracy);
    return out;
  };
}

AccuracyOn languageModelAccuracy(NodeRunContext& context, const TasksValue& tasks, std::int64_t examples) {
  return [&context, &tasks, examples](const NodeValue& model, const std::string& label,
                                      const std::vector<std::size_t>& indices) {
    const LanguageModel loaded = loadInputLanguageModel(context, model, label);
    lm::RunOptions run;
    run.batchSize = std::size_t(kLanguageModelBatch);
    run.cancel = context.cancel;
    lm_eval::CausalLmScorer scorer(*loaded.model, run);
    lm_eval::TextEvaluationOptions options;
    options.maxExamples = examples;
    options.cancel = context.cancel;
    std::vector<double> out;
    for (const auto t : indices) {
      const auto& task = (*tasks.textTasks)[t];
      if (task.kind == io::TextTaskKind::Perplexity)
        throw std::runtime_error("task " + task.name +
                                 " is a perplexity task: it has no accuracy to compare");
      out.push_back(lm_eval::evaluateTextTask(scorer, *loaded.tokenizer, task, options).accuracy);
    }
    return out;
  };
}

} // namespace

AccuracyOn accuracyOn(NodeRunContext& context, const TasksValue& tasks, std::int64_t examples) {
  return tasks.textTasks ? languageModelAccuracy(context, tasks, examples)
                         : classifierAccuracy(context, tasks, examples);
}

std::vector<std::string> taskNames(const TasksValue& tasks) {
  std::vector<std::string> names;
  if (tasks.textTasks)
    for (const auto& task : *tasks.textTasks)
      names.push_back(task.name);
  else
    for (const auto& task : *tasks.tasks)
      names.push_back(task.name);
  return names;
}

} // namespace mg::engine
