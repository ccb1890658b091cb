#pragma once
// What a run produced for the Results dock, gathered from its summary for saving (engine/run_file.h) and
// for charts: every Evaluate, Router and Sweep node's scores (not Compare's, which repeat them), and every
// finished node's matrices, embedding maps and scatters, in run order.
#include <vector>

#include "engine/graph/graph_executor.h"
#include "engine/run_file.h"
#include "eval/score_file.h"

namespace mg::engine {

std::vector<eval::ModelScores> collectResults(const graph::Document& document, const RunSummary& summary);

// The scores as collectResults, with the matrices, embedding maps (their source set to the node's title
// when empty) and scatters of the nodes that finished.
SavedRun collectRun(const graph::Document& document, const RunSummary& summary);

} // namespace mg::engine
