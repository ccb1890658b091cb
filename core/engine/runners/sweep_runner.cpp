// The Sweep node: one parameter of a node upstream of an Evaluate node takes a range of values; at each value
// the graph up to the Evaluate node runs again (the executor's cache keeps what the change does not reach:
// sources, task data) and its scores become one point of the sweep's curves.
#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "util/percent_text.h"
#include "engine/runners/builtin_runners.h"
#include "engine/runners/scores_of.h"
#include "engine/node_runner.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "graph/sweep_plan.h"
#include "engine/runners/sweep_points.h"
#include "cluster/communicator.h"

namespace mg::engine {

namespace {

NodeOutputs runSweep(NodeRunContext& context) {
  const graph::SweepPlan plan = graph::planSweep(context.document, context.node);
  if (!plan.ok()) throw std::runtime_error(plan.error);
  if (plan.target == graph::kNoNode || plan.values.empty())
    throw std::runtime_error("connect 'scores' and set 'parameter'");
  if (!context.runUpstream) throw std::logic_error("the executor gave the Sweep node no way to run points");

  const auto& values = plan.values;
  const auto texts = graph::sweepValueTexts(values, plan.def->kind == graph::ParamKind::Int);
  const std::size_t count = values.size();
  const auto& target = context.document.at(plan.target);
  NodeOutputs out;
  out.facts.push_back(plan.parameter + " of '" + target.title + "' (node " + std::to_string(plan.target) +
                      ") from " + texts.front() + " to " + texts.back() + " in " + std::to_string(count) +
                      " steps");
  const bool spread = context.ranks && context.ranks->spread();
  // One point: the graph up to the scored node run again with the parameter at values[i].
  const auto runPoint = [&](std::size_t i) {
    const std::string point = plan.parameter + "=" + texts[i];
    const std::string step = point + " (" + std::to_string(i + 1) + " of " + std::to_string(count) + ")";
    context.progress(double(i) / double(count), step);
    SweepPoint done;
    try {
      const graph::Document variant = graph::sweepPoint(context.document, plan, values[i]);
      const NodeOutputs result = context.runUpstream(
          variant, plan.scored,
          [&](double fraction, const std::string& what) {
            const double within = fraction < 0 ? 0.0 : std::min(fraction, 1.0);
            context.progress((double(i) + within) / double(count), step + (what.empty() ? "" : ": " + what));
          },
          spread ? nullptr : context.ranks); // a spread sweep's point runs on its rank alone
      done.scores = scoresOf(result, point);
      for (const auto& warning : result.warnings)
        done.warnings.push_back(point + ": " + warning);
    } catch (const Cancelled&) {
      throw;
    } catch (const std::exception& error) {
      throw std::runtime_error("at " + point + ": " + error.what());
    }
    done.scores.parameter = plan.parameter;
    done.scores.parameterValue = values[i];
    return done;
  };
  const auto points = spread ? sweepOverRanks(count, runPoint, *context.ranks, context.cancel)
                             : sweepHere(count, runPoint, context.cancel);
  std::vector<double> means;
  for (const auto& point : points) {
    means.push_back(meanAccuracy(point.scores));
    out.results.push_back(point.scores);
    out.warnings.insert(out.warnings.end(), point.warnings.begin(), point.warnings.end());
  }

  std::size_t best = 0;
  for (std::size_t i = 1; i < count; ++i) {
    if (means[i] > means[best]) best = i;
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::string line = plan.parameter + "=" + texts[i] + ": mean " + util::percentText(means[i]);
    if (i == best) line += " (best)";
    if (out.results[i].scores) line += " |" + scoresLine(out.results[i]);
    out.facts.push_back(line);
  }
  return out;
}

} // namespace

void registerSweepRunner(NodeRunnerRegistry& registry) {
  registry.add(graph::node_types::kSweep, runSweep);
}

} // namespace mg::engine
