#include "graph/search_plan.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "graph/builtin_node_types.h"
#include "graph/document.h"
#include "graph/merge_rules.h"
#include "graph/upstream_nodes.h"
#include "ops/method_schemas.h"

namespace mg::graph {

namespace {

std::string shortNumber(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string textParam(const Document& document, NodeId id, const std::string& name) {
  const auto* value = document.param(id, name);
  return value && value->is_string() ? value->get<std::string>() : std::string();
}

// The nearest merge node upstream of the scored node; two equally near are ambiguous.
NodeId nearestMerge(const Document& document, const std::vector<std::vector<NodeId>>& upstream,
                    SearchPlan& plan) {
  for (const auto& level : upstream) {
    std::vector<NodeId> found;
    for (const NodeId id : level)
      if (mergeMethodOf(document.at(id).type)) found.push_back(id);
    if (found.size() > 1) {
      plan.error = namedNode(document, found[0]) + " and " + namedNode(document, found[1]) +
                   " are both merge nodes feeding " + namedNode(document, plan.scored) +
                   ": name one in 'node'";
      plan.errorParam = "node";
      return kNoNode;
    }
    if (found.size() == 1) return found.front();
  }
  plan.error = "no merge node is upstream of " + namedNode(document, plan.scored);
  plan.errorParam = "scores";
  return kNoNode;
}

// The first index of the target's models group (its fixed inputs come first).
std::size_t firstGroupInput(const Document& document, NodeId id) {
  const NodeType* type = document.nodeType(id);
  return type ? type->inputs.size() - 1 : 1;
}

} // namespace

const std::vector<std::string>& searchAlgorithmNames() {
  static const std::vector<std::string> names = {"cmaes", "greedy_soup", "adamerging"};
  return names;
}

SearchPlan planSearch(const Document& document, NodeId search) {
  SearchPlan plan;
  const auto scores = document.source({search, 0});
  if (!scores) return plan;
  plan.scored = scores->node;
  if (document.at(plan.scored).type != node_types::kEvaluate) {
    plan.error = "'scores' must come from an Evaluate node, not " + namedNode(document, plan.scored);
    plan.errorParam = "scores";
    return plan;
  }
  const auto algorithm = textParam(document, search, "algorithm");
  const auto& names = searchAlgorithmNames();
  const auto known = std::find(names.begin(), names.end(), algorithm);
  if (known == names.end()) return plan; // generic validation reports a bad choice
  plan.algorithm = SearchAlgorithm(known - names.begin());

  const auto upstream = upstreamByDistance(document, plan.scored);
  const std::string name = textParam(document, search, "node");
  if (name.empty()) {
    plan.target = nearestMerge(document, upstream, plan);
  } else {
    plan.target = findUpstreamNamed(document, upstream, name, plan.scored, plan.error);
    if (plan.target == kNoNode) plan.errorParam = "node";
  }
  if (plan.target == kNoNode) return plan;
  const auto method = mergeMethodOf(document.at(plan.target).type);
  if (!method) {
    plan.error = namedNode(document, plan.target) + " is not a merge node: a search varies a merge's weights";
    plan.errorParam = "node";
    return plan;
  }
  plan.method = *method;
  const auto& info = ops::mergeMethod(plan.method);
  plan.inputs = document.variadicConnected(plan.target);
  if (plan.inputs < 2) {
    plan.error = namedNode(document, plan.target) + " has " + std::to_string(plan.inputs) +
                 " connected model(s): a search needs at least 2";
    plan.errorParam = "node";
    return plan;
  }
  if (!info.usesWeights && plan.algorithm != SearchAlgorithm::AdaMerging) {
    plan.error = info.title + " takes no per-model weights, so there is nothing to search: use a method "
                              "that does (linear, task_arithmetic, ties, ...)";
    plan.errorParam = "node";
    return plan;
  }
  if (plan.algorithm == SearchAlgorithm::AdaMerging && plan.method != "task_arithmetic") {
    plan.error =
        "AdaMerging learns task arithmetic's coefficients: point it at a Task arithmetic node, not " +
        namedNode(document, plan.target);
    plan.errorParam = "algorithm";
    return plan;
  }
  const auto& weights = document.at(plan.target).weights;
  plan.startWeights.assign(plan.inputs, 1.0);
  for (std::size_t i = 0; i < plan.inputs && i < weights.size(); ++i)
    plan.startWeights[i] = weights[i];

  const auto* density = document.param(search, "search_density");
  plan.searchDensity = plan.algorithm == SearchAlgorithm::CmaEs && density && density->is_boolean() &&
                       density->get<bool>() && mergeTakesParam(plan.method, "density");
  if (const auto* start = document.param(plan.target, "density"); start && start->is_number())
    plan.startDensity = start->get<double>();
  plan.validationTasks = document.source({search, 1});
  const auto* validation = document.param(search, "validation_examples");
  plan.validationExamples =
      validation && validation->is_number_integer() ? validation->get<std::int64_t>() : 0;
  return plan;
}

Document searchCandidate(const Document& document, const SearchPlan& plan, const std::vector<double>& weights,
                         const std::vector<double>& densities, const std::string& extraRules) {
  Document candidate(document);
  const std::size_t first = firstGroupInput(document, plan.target);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (auto error = candidate.setInputWeight(plan.target, first + i, weights[i]))
      throw std::invalid_argument(namedNode(document, plan.target) + ": " + *error);
  }
  if (!densities.empty() || !extraRules.empty()) {
    std::string rules;
    for (std::size_t i = 0; i < densities.size(); ++i)
      rules += "models " + std::to_string(i + 1) + ": density=" + shortNumber(densities[i]) + "; ";
    if (!extraRules.empty()) rules += extraRules + "; ";
    const std::string own = textParam(document, plan.target, "rules");
    if (auto error = candidate.setParam(plan.target, "rules", rules + own))
      throw std::invalid_argument(namedNode(document, plan.target) + ": " + *error);
  }
  return candidate;
}

Document restrictEvaluation(const Document& document, const SearchPlan& plan, std::int64_t first,
                            std::int64_t count) {
  Document restricted(document);
  for (const auto& [name, value] : {std::pair{"first_example", first}, std::pair{"max_examples", count}}) {
    if (auto error = restricted.setParam(plan.scored, name, value))
      throw std::invalid_argument(namedNode(document, plan.scored) + ": " + *error);
  }
  return restricted;
}

Document validationDocument(const Document& document, const SearchPlan& plan) {
  if (!plan.validationTasks) return restrictEvaluation(document, plan, 0, plan.validationExamples);
  Document validation(document);
  validation.disconnect({plan.scored, 1});
  if (auto error = validation.connect(*plan.validationTasks, {plan.scored, 1}))
    throw std::invalid_argument(namedNode(document, plan.scored) + ": " + *error);
  return restrictEvaluation(validation, plan, 0, plan.validationExamples);
}

Document testDocument(const Document& document, const SearchPlan& plan) {
  return plan.validationTasks ? document : restrictEvaluation(document, plan, plan.validationExamples, 0);
}

NodeId addSearchWinner(Document& document, const SearchPlan& plan, const std::vector<double>& weights,
                       const std::vector<double>& densities, const std::string& extraRules) {
  const Node& target = document.at(plan.target);
  const NodeId winner = document.addNode(target.type, {target.position.x, target.position.y + 160});
  for (const auto& [name, value] : target.params) {
    if (auto error = document.setParam(winner, name, value))
      throw std::invalid_argument(namedNode(document, winner) + ": " + *error);
  }
  for (const auto& edge : document.edgesInto(plan.target)) {
    if (auto error = document.connect(edge.from, {winner, edge.to.port}))
      throw std::invalid_argument(namedNode(document, winner) + ": " + *error);
  }
  document.setTitle(winner, target.title + " (searched)");
  SearchPlan onWinner = plan;
  onWinner.target = winner;
  document = searchCandidate(document, onWinner, weights, densities, extraRules);
  return winner;
}

} // namespace mg::graph
