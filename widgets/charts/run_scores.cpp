#include "charts/run_scores.h"

#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "results/collect_run.h"

namespace mg::ui {

std::vector<eval::ModelScores> scoresToShow(const graph::Document& document,
                                            const engine::RunSummary& summary) {
  std::vector<eval::ModelScores> compared, evaluated, sweeps;
  for (const auto id : summary.order) {
    const auto it = summary.nodes.find(id);
    if (it == summary.nodes.end() || !document.contains(id)) continue;
    const bool isCompare = document.at(id).type == graph::node_types::kCompare;
    for (const auto& value : it->second.results) {
      if (!value.parameter.empty()) {
        if (!isCompare) sweeps.push_back(results::toModelScores(value, id));
      } else {
        (isCompare ? compared : evaluated).push_back(results::toModelScores(value, id));
      }
    }
  }
  auto shown = compared.empty() ? std::move(evaluated) : std::move(compared);
  shown.insert(shown.end(), sweeps.begin(), sweeps.end());
  return shown;
}

} // namespace mg::ui
