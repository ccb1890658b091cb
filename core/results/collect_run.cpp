#include "results/collect_run.h"

#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"

namespace mg::results {

using namespace engine;

eval::ModelScores toModelScores(const ScoresValue& value, graph::NodeId producer) {
  eval::ModelScores entry;
  entry.model = value.model;
  entry.modelNode = value.modelNode;
  entry.evaluateNode = producer;
  entry.parameter = value.parameter;
  entry.parameterValue = value.parameterValue;
  if (value.scores) entry.scores = *value.scores;
  return entry;
}

namespace {

bool finished(const NodeStatus& status) {
  return status.state == NodeState::Done || status.state == NodeState::Cached;
}

// The node types whose results are scores of their own making (Compare's repeat its inputs').
bool producesScores(const std::string& type) {
  // Routers score themselves like Evaluate nodes; Compare only repeats its inputs' scores.
  return type == graph::node_types::kEvaluate || type == graph::node_types::kSweep ||
         type == graph::node_types::kRouter;
}

} // namespace

std::vector<eval::ModelScores> collectResults(const graph::Document& document, const RunSummary& summary) {
  std::vector<eval::ModelScores> out;
  for (const auto id : summary.order) {
    if (!document.contains(id) || !producesScores(document.at(id).type)) continue;
    const auto it = summary.nodes.find(id);
    if (it == summary.nodes.end()) continue;
    const auto& status = it->second;
    if (!finished(status)) continue;
    for (const auto& value : status.results)
      out.push_back(toModelScores(value, id));
  }
  return out;
}

RunResults collectRun(const graph::Document& document, const RunSummary& summary) {
  RunResults run;
  run.scores = collectResults(document, summary);
  for (const auto id : summary.order) {
    const auto it = summary.nodes.find(id);
    if (it == summary.nodes.end() || !finished(it->second)) continue;
    const auto& status = it->second;
    for (auto matrix : status.matrices) {
      matrix.producer = id;
      run.matrices.push_back(std::move(matrix));
    }
    for (auto scatter : status.scatters) {
      scatter.producer = id;
      run.scatters.push_back(std::move(scatter));
    }
    for (auto map : status.embeddings) {
      if (map.source.empty() && document.contains(id)) map.source = document.at(id).title;
      map.producer = id;
      run.embeddings.push_back(std::move(map));
    }
  }
  return run;
}

} // namespace mg::results
