#include "eval/evaluation.h"

#include <algorithm>

#include <ATen/ATen.h>

#include <thread>

#include "eval/classifier.h"
#include "tensor/intra_op_threads.h"

namespace mg::eval {

TaskTally tallyTask(const Classifier& model, const io::TaskData& task, const EvaluationOptions& options) {
  const auto classes = static_cast<std::int64_t>(task.labelNames.size());
  if (model.numLabels() > 0 && classes > model.numLabels())
    throw std::runtime_error("task '" + task.name + "' has " + std::to_string(classes) +
                             " classes, the model " + std::to_string(model.numLabels()));
  const std::vector<std::int64_t> example(task.inputShape.begin() + (task.inputShape.empty() ? 0 : 1),
                                          task.inputShape.end());
  if (const auto problem = model.inputProblem(example))
    throw std::runtime_error("task '" + task.name + "': " + *problem);

  tensor::ScopedIntraOpThreads threads(options.threads);
  at::NoGradGuard noGrad;
  // The examples [first, first + n): a search keeps validation and test examples of one file apart.
  const auto first = std::clamp<std::int64_t>(options.firstExample, 0, task.size());
  const auto available = task.size() - first;
  const auto n = options.maxExamples > 0 ? std::min(available, options.maxExamples) : available;
  const auto inputs = at::from_blob(const_cast<float*>(task.inputs.data()), task.inputShape, at::kFloat)
                          .slice(0, first, first + n);
  const auto labels = at::from_blob(const_cast<std::int64_t*>(task.labels.data() + first), {n}, at::kLong);
  TaskTally tally;
  tally.task = task.name;
  tally.examples = n;
  auto confusion = at::zeros({classes, classes}, at::kLong);
  const auto batch = std::max<std::int64_t>(1, options.batchSize);
  for (std::int64_t begin = 0; begin < n; begin += batch) {
    if (options.cancel) options.cancel->throwIfCancelled();
    const auto end = std::min(n, begin + batch);
    auto all = model.logits(inputs.slice(0, begin, end), task.name);
    if (all.dim() != 2 || all.size(0) != end - begin || all.size(1) < classes)
      throw std::runtime_error(model.describe() + " gives logits " +
                               io::shapeToString({all.sizes().begin(), all.sizes().end()}) + " for " +
                               std::to_string(end - begin) + " examples of task '" + task.name +
                               "', which has " + std::to_string(classes) + " classes");
    // Only the task's own classes compete (a model may have more outputs than the task has labels).
    const auto logits = all.slice(1, 0, classes);
    const auto y = labels.slice(0, begin, end);
    tally.batchLossSums.push_back(
        at::cross_entropy_loss(logits, y, /*weight=*/{}, at::Reduction::Sum).item<double>());
    const auto predicted = logits.argmax(1);
    tally.correct += (predicted == y).sum().item<std::int64_t>();
    confusion.view(-1).index_add_(0, y * classes + predicted, at::ones_like(y));
    if (options.progress) options.progress(end, n);
  }
  const auto c = confusion.accessor<std::int64_t, 2>();
  tally.confusion.assign(classes, std::vector<std::int64_t>(classes, 0));
  for (std::int64_t i = 0; i < classes; ++i)
    for (std::int64_t j = 0; j < classes; ++j)
      tally.confusion[i][j] = c[i][j];
  return tally;
}

TaskScore evaluate(const Classifier& model, const io::TaskData& task, const EvaluationOptions& options) {
  return tallyTask(model, task, options).score();
}

void TaskTally::add(const TaskTally& later) {
  examples += later.examples;
  correct += later.correct;
  batchLossSums.insert(batchLossSums.end(), later.batchLossSums.begin(), later.batchLossSums.end());
  if (confusion.empty())
    confusion = later.confusion;
  else
    for (std::size_t i = 0; i < confusion.size() && i < later.confusion.size(); ++i)
      for (std::size_t j = 0; j < confusion[i].size() && j < later.confusion[i].size(); ++j)
        confusion[i][j] += later.confusion[i][j];
}

TaskScore TaskTally::score() const {
  TaskScore score;
  score.task = task;
  score.examples = examples;
  double lossSum = 0;
  for (const double batch : batchLossSums)
    lossSum += batch;
  score.accuracy = examples ? double(correct) / double(examples) : 0.0;
  score.loss = examples ? lossSum / double(examples) : 0.0;
  score.confusion = confusion;
  return score;
}

} // namespace mg::eval
