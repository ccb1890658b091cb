#include "embed/task_batches.h"

#include <ATen/ATen.h>

#include <stdexcept>

#include "eval/classifier.h"
#include "io/task_file.h"

namespace mg::embed::detail {

std::pair<at::Tensor, at::Tensor> chosenExamples(const eval::Classifier& probe, const io::TaskData& task,
                                                 std::int64_t maxExamples) {
  const std::int64_t n = task.size();
  if (n == 0) throw std::runtime_error("task '" + task.name + "' has no examples");
  std::vector<std::int64_t> example(task.inputShape.begin() + 1, task.inputShape.end());
  if (const auto problem = probe.inputProblem(example))
    throw std::runtime_error("task '" + task.name + "': " + *problem);
  std::vector<std::int64_t> shape = task.inputShape;
  // from_blob does not copy: the task data outlives every batch made from it.
  const at::Tensor inputs = at::from_blob(const_cast<float*>(task.inputs.data()), shape, at::kFloat);
  const at::Tensor labels = at::from_blob(const_cast<std::int64_t*>(task.labels.data()), {n}, at::kLong);
  if (maxExamples <= 0 || n <= maxExamples) return {inputs, labels};
  const at::Tensor index =
      (at::arange(maxExamples, at::kDouble) * (double(n) / double(maxExamples))).to(at::kLong);
  return {inputs.index_select(0, index), labels.index_select(0, index)};
}

void forEachBatch(const eval::Classifier& probe, const io::TaskData& task, std::int64_t batchSize,
                  std::int64_t maxExamples, const engine::CancelToken* cancel,
                  const std::function<void(const at::Tensor& inputs, const std::vector<at::Tensor>& states,
                                           const at::Tensor& labels)>& visit) {
  const auto [chosenInputs, chosenLabels] = chosenExamples(probe, task, maxExamples);
  const std::int64_t count = chosenInputs.size(0);
  for (std::int64_t begin = 0; begin < count; begin += batchSize) {
    if (cancel) cancel->throwIfCancelled();
    const std::int64_t end = std::min(count, begin + batchSize);
    const at::Tensor batch = chosenInputs.slice(0, begin, end);
    visit(batch, probe.hiddenStates(batch), chosenLabels.slice(0, begin, end));
  }
}

} // namespace mg::embed::detail
