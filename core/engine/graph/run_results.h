#pragma once
// The scores a run produced, gathered from its summary for saving (eval/score_file.h) and for charts:
// every Evaluate, Router and Sweep node's results (not Compare's, which repeat them), in run order.
#include <vector>

#include "engine/graph/graph_executor.h"
#include "eval/score_file.h"

namespace mg::engine {

std::vector<eval::ModelScores> collectResults(const graph::Document& document, const RunSummary& summary);

} // namespace mg::engine
