#pragma once
// Which scores of a finished run the Results dock shows (Qt-free): when a Compare node produced results, its
// lineup (the user chose and ordered those models); otherwise every Evaluate node's. Sweep points (scores
// with a parameter) are always added, for the Sweep view. The scores saved beside the project are a
// different set: results::collectResults (every Evaluate and Sweep node's, Compare's being repeats).
#include <vector>

#include "engine/graph_executor.h"
#include "eval/model_scores.h"
#include "graph/document.h"

namespace mg::ui {

std::vector<eval::ModelScores> scoresToShow(const graph::Document& document,
                                            const engine::RunSummary& summary);

} // namespace mg::ui
