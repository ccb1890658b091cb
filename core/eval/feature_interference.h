#pragma once
// Why merges fail, measured: how far a specialist moves the base model's features on a task's inputs,
// mean ‖f_model(x) − f_base(x)‖ / mean ‖f_base(x)‖ with f the representation the head reads
// (Classifier::features). A specialist that moves features a lot on other tasks' inputs changes what the
// other specialists rely on, so adding its update to theirs costs them accuracy.
#include <cstdint>

#include "weights/cancel.h"
#include "io/task_file.h"

namespace mg::eval {

class Classifier;

// Over the first `maxExamples` examples of `task`, in batches; 0 when the base's features are all zero.
// Throws std::runtime_error when a model does not expose its features (TorchScript) or the inputs do not
// fit; engine::Cancelled between batches.
double featureShift(const Classifier& base, const Classifier& model, const io::TaskData& task,
                    std::int64_t maxExamples = 1000, const engine::CancelToken* cancel = nullptr);

} // namespace mg::eval
