#pragma once
// Internal to core/embed (LibTorch sources only): running a probe model over a task's examples in batches.
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "weights/cancel.h"

namespace at {
class Tensor;
}
namespace mg::eval {
class Classifier;
}
namespace mg::io {
struct TaskData;
}

namespace mg::embed::detail {

// The task's inputs [n, ...] and labels [n] as tensors over its own memory (no copy: the task must outlive
// them): at most `maxExamples` of them (0: all), evenly spaced over the file so that a file sorted by class
// still gives every class. Throws std::runtime_error naming the task when it has no examples or they do not
// fit the probe.
std::pair<at::Tensor, at::Tensor> chosenExamples(const eval::Classifier& probe, const io::TaskData& task,
                                                 std::int64_t maxExamples);

// Calls `visit` with a batch of inputs, the probe's hidden states (eval::Classifier::hiddenStates) of
// consecutive batches of the task's examples; at most `maxExamples` of them (0: all), evenly spaced over the
// file so that a file sorted by class still gives every class. Checks `cancel` between batches. Throws
// std::runtime_error naming the task when its examples do not fit the probe.
void forEachBatch(const eval::Classifier& probe, const io::TaskData& task, std::int64_t batchSize,
                  std::int64_t maxExamples, const engine::CancelToken* cancel,
                  const std::function<void(const at::Tensor& inputs, const std::vector<at::Tensor>& states,
                                           const at::Tensor& labels)>& visit);

} // namespace mg::embed::detail
