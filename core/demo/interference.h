#pragma once
// Why merges fail: how much a specialist moves the base model's features on inputs of every task. For a
// specialist s and a task t, mean ‖f_s(x) − f_base(x)‖ / mean ‖f_base(x)‖ over t's inputs, with f the last
// hidden layer. A specialist that moves features a lot on other tasks' inputs interferes with the
// specialists of those tasks when their updates are added together.
#include <vector>

#include "demo/mlp_training.h"

namespace mg::demo {

// One value per task input set, for a specialist given as a LoRA of `base`.
std::vector<double> featureInterference(const Parameters& base, const Lora& specialist,
                                        const std::vector<at::Tensor>& taskInputs);

} // namespace mg::demo
