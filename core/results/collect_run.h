#pragma once
// What a run produced for the Results dock, gathered from its summary for saving (results/results_file.h) and
// for charts: every Evaluate, Router and Sweep node's scores (not Compare's, which repeat them), and every
// finished node's matrices, embedding maps and scatters, in run order.
#include <vector>

#include "engine/graph_executor.h"
#include "results/results_file.h"

namespace mg::results {

// `value` as a saved entry, produced by node `producer` (an Evaluate, Router or Sweep node).
eval::ModelScores toModelScores(const engine::ScoresValue& value, graph::NodeId producer);

std::vector<eval::ModelScores> collectResults(const graph::Document& document,
                                              const engine::RunSummary& summary);

// The scores as collectResults, with the matrices, embedding maps (their source set to the node's title
// when empty) and scatters of the nodes that finished, each with the node that made it as its producer.
// `document` is the one that ran (the GUI's run copy, not the live document the user may have edited since):
// a node deleted meanwhile keeps its results.
RunResults collectRun(const graph::Document& document, const engine::RunSummary& summary);

} // namespace mg::results
