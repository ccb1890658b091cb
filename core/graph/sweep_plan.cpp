#include "graph/sweep_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>

#include "graph/document.h"
#include "graph/upstream_nodes.h"

namespace mg::graph {

namespace {

std::string named(const Document& document, NodeId id) {
  return namedNode(document, id);
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

bool hasParam(const Document& document, NodeId id, const std::string& name) {
  const NodeType* type = document.nodeType(id);
  return type && type->param(name);
}

// The node the 'node' parameter names among `upstream`: by title, else by id when it is a number.
NodeId findNamed(const Document& document, const std::vector<std::vector<NodeId>>& upstream,
                 const std::string& name, SweepPlan& plan) {
  const NodeId found = findUpstreamNamed(document, upstream, name, plan.scored, plan.error);
  if (found == kNoNode) plan.errorParam = "node";
  return found;
}

// The nearest upstream node with the parameter; two equally near are ambiguous.
NodeId findNearest(const Document& document, const std::vector<std::vector<NodeId>>& upstream,
                   SweepPlan& plan) {
  for (const auto& level : upstream) {
    std::vector<NodeId> found;
    for (const NodeId id : level) {
      if (hasParam(document, id, plan.parameter)) found.push_back(id);
    }
    if (found.size() > 1) {
      plan.error = named(document, found[0]) + " and " + named(document, found[1]) +
                   " both have a parameter '" + plan.parameter + "': name one in 'node'";
      plan.errorParam = "node";
      return kNoNode;
    }
    if (found.size() == 1) return found.front();
  }
  plan.error =
      "no node upstream of " + named(document, plan.scored) + " has a parameter '" + plan.parameter + "'";
  plan.errorParam = "parameter";
  return kNoNode;
}

bool isNumeric(ParamKind kind) {
  return kind == ParamKind::Int || kind == ParamKind::Real || kind == ParamKind::RealList;
}

// from..to in `steps` even steps; each rounded to 12 significant digits so that 0.1 + 2 * 0.1 is the 0.3
// a user types (and the cache key of the same graph run by hand).
std::vector<double> evenSteps(double from, double to, std::int64_t steps, bool integral) {
  std::vector<double> values;
  for (std::int64_t i = 0; i < steps; ++i) {
    double v = from + (to - from) * double(i) / double(steps - 1);
    if (integral) {
      v = std::round(v);
    } else {
      char text[32];
      std::snprintf(text, sizeof text, "%.12g", v);
      v = std::strtod(text, nullptr);
    }
    values.push_back(v);
  }
  return values;
}

} // namespace

SweepPlan planSweep(const Document& document, NodeId sweep) {
  SweepPlan plan;
  const auto scores = document.source({sweep, 0});
  const auto* parameter = document.param(sweep, "parameter");
  if (!scores || !parameter || !parameter->is_string() || parameter->get<std::string>().empty()) return plan;
  plan.scored = scores->node;
  plan.parameter = parameter->get<std::string>();

  const auto upstream = upstreamByDistance(document, plan.scored);
  const auto* node = document.param(sweep, "node");
  const std::string name = node && node->is_string() ? node->get<std::string>() : "";
  plan.target =
      name.empty() ? findNearest(document, upstream, plan) : findNamed(document, upstream, name, plan);
  if (plan.target == kNoNode) return plan;

  const NodeType* type = document.nodeType(plan.target);
  plan.def = type ? type->param(plan.parameter) : nullptr;
  if (!plan.def) {
    plan.error = named(document, plan.target) + " has no parameter '" + plan.parameter + "'";
    plan.errorParam = "parameter";
    return plan;
  }
  if (!isNumeric(plan.def->kind)) {
    plan.error = plan.parameter + " of " + named(document, plan.target) + " is a " +
                 paramKindName(plan.def->kind) + ", not a number: only numeric parameters can be swept";
    plan.errorParam = "parameter";
    return plan;
  }

  const auto* from = document.param(sweep, "from");
  const auto* to = document.param(sweep, "to");
  const auto* steps = document.param(sweep, "steps");
  if (!from || !to || !steps || !from->is_number() || !to->is_number() || !steps->is_number_integer())
    return plan; // generic validation reports a missing or mistyped value
  for (const auto& [end, value] :
       {std::pair{"from", from->get<double>()}, std::pair{"to", to->get<double>()}}) {
    if (!plan.def->inRange(value)) {
      plan.error = std::string(end) + " " + number(value) + " is outside the range of " + plan.parameter +
                   " of " + named(document, plan.target) + ": " + plan.def->rangeText();
      plan.errorParam = end;
      return plan;
    }
  }
  if (from->get<double>() == to->get<double>()) {
    plan.error = "from and to are both " + number(from->get<double>()) + ": nothing to sweep";
    plan.errorParam = "to";
    return plan;
  }
  const bool integral = plan.def->kind == ParamKind::Int;
  plan.values = evenSteps(from->get<double>(), to->get<double>(), steps->get<std::int64_t>(), integral);
  if (integral && std::set<double>(plan.values.begin(), plan.values.end()).size() != plan.values.size()) {
    plan.error = plan.parameter + " takes whole numbers: " + std::to_string(plan.values.size()) +
                 " steps from " + number(from->get<double>()) + " to " + number(to->get<double>()) +
                 " repeat values";
    plan.errorParam = "steps";
    plan.values.clear();
  }
  return plan;
}

Document sweepPoint(const Document& document, const SweepPlan& plan, double value) {
  Document point(document);
  ParamValue v;
  if (plan.def->kind == ParamKind::Int)
    v = static_cast<std::int64_t>(std::llround(value));
  else if (plan.def->kind == ParamKind::RealList)
    v = ParamValue::array({value});
  else
    v = value;
  if (auto error = point.setParam(plan.target, plan.parameter, v)) {
    throw std::invalid_argument(named(document, plan.target) + ": " + *error);
  }
  return point;
}

std::vector<std::string> sweepValueTexts(const std::vector<double>& values, bool integral) {
  auto format = [](double v, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return std::string(text);
  };
  int decimals = integral ? 0 : 2;
  for (; decimals < 6 && !integral; ++decimals) {
    bool exact = true;
    for (const double v : values) {
      exact = exact && std::fabs(std::strtod(format(v, decimals).c_str(), nullptr) - v) <=
                           1e-9 * std::max(1.0, std::fabs(v));
    }
    if (exact) break;
  }
  std::vector<std::string> texts;
  for (const double v : values)
    texts.push_back(format(v, decimals));
  return texts;
}

} // namespace mg::graph
