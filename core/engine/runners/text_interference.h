#pragma once
// The Interference node on text tasks: each specialist's shift of the base language model's final hidden
// states on every task's texts (lm_eval/text_feature_shift.h). The base is loaded once with every adapter
// among the items, so it runs as the base (adapter weights 0) and as each adapter alone (one-hot); a full
// model among the items (a fine-tune, a merge) is loaded on its own.
#include <functional>
#include <vector>

#include "engine/node_runner.h"

namespace mg::engine {

// Row `i` of the matrix: item `value`'s shift on each text task, in task order.
using InterferenceRows = std::function<std::vector<double>(std::size_t i, const NodeValue& value)>;

InterferenceRows textInterferenceRows(NodeRunContext& context, const TasksValue& tasks,
                                      const std::vector<std::pair<const NodeValue*, double>>& items,
                                      std::int64_t examples);

} // namespace mg::engine
