// merganser-cli run PROJECT.mgproj [--node ID ...] [--json]
// Runs a project's sinks (or the given nodes) headless with the GUI's engine and prints what each node did.
// Ctrl+C cancels between tensors; whatever was being exported is left unwritten. What the Results dock
// shows (scores, matrices, embedding maps, scatters) is saved beside the project (PROJECT.scores.h5,
// engine/run_file.h) for the charts.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/project_loading.h"
#include "cluster/world.h"
#include "engine/graph_executor.h"
#include "results/collect_run.h"
#include "util/number_text.h"

namespace mg::cli {

namespace {

std::string statusLine(const graph::Document& document, graph::NodeId id, const engine::NodeStatus& status) {
  const auto& node = document.at(id);
  char seconds[32] = "";
  if (status.state == engine::NodeState::Done)
    std::snprintf(seconds, sizeof seconds, " in %.2f s", status.seconds);
  std::string line = "node " + std::to_string(id) + " '" + node.title +
                     "': " + engine::nodeStateName(status.state) + seconds;
  if (!status.message.empty()) line += ": " + status.message;
  for (const auto& fact : status.facts)
    line += "\n    " + fact;
  for (const auto& warning : status.warnings)
    line += "\n    warning: " + warning;
  return line;
}

nlohmann::ordered_json summaryJson(const std::string& project, const graph::Document& document,
                                   const engine::RunSummary& summary) {
  nlohmann::ordered_json j;
  j["project"] = project;
  j["ok"] = summary.ok();
  j["cancelled"] = summary.cancelled;
  j["failure"] = summary.failure.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(summary.failure);
  auto nodes = nlohmann::ordered_json::array();
  for (const auto id : summary.order) {
    const auto& status = summary.nodes.at(id);
    const auto& node = document.at(id);
    nodes.push_back({{"id", id},
                     {"type", node.type},
                     {"title", node.title},
                     {"state", engine::nodeStateName(status.state)},
                     {"seconds", status.seconds},
                     {"message", status.message},
                     {"facts", status.facts},
                     {"warnings", status.warnings},
                     {"cache_key", graph::cacheKeyText(status.key)}});
  }
  j["nodes"] = nodes;
  return j;
}

// Saves the run's results into the project's results file, keeping saved results of nodes that did not run.
// Returns the file's path, or "" when the run produced none. Throws std::runtime_error "path: problem".
std::string saveScores(const std::string& project, const graph::Document& document,
                       const engine::RunSummary& summary) {
  const auto fresh = results::collectRun(document, summary);
  if (fresh.empty()) return {};
  const auto path = results::resultsFileFor(project);
  results::RunResults saved;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    try {
      saved = results::readResultsFile(path);
    } catch (const std::exception& e) { // a damaged file is replaced by this run's results
      std::fprintf(stderr, "warning: %s (replaced)\n", e.what());
    }
  }
  results::writeResultsFile(path, results::mergeRuns(std::move(saved), fresh));
  return path;
}

} // namespace

int runProject(const std::vector<std::string>& argv) {
  static constexpr const char* kUsage = "usage: merganser-cli run PROJECT.mgproj [--node ID ...] [--json]\n";
  const Arguments args(argv, {"--node"}, {"--json"});
  if (!args.error().empty()) return usageError("run", args.error(), kUsage);
  if (args.positional().size() != 1) return usageError("run", "give one project file", kUsage);
  const std::string project = args.positional().front();

  auto loaded = loadProjectOrReport(project);
  if (!loaded) return kExitBadInput;
  graph::Document& document = *loaded;
  std::vector<graph::NodeId> targets;
  for (const auto& text : args.values("--node")) {
    const auto id = util::parseInteger(text);
    if (!id || *id <= 0 || !document.contains(static_cast<graph::NodeId>(*id)))
      return usageError("run", project + " has no node '" + text + "'", kUsage);
    targets.push_back(static_cast<graph::NodeId>(*id));
  }

  const bool json = args.flag("--json");
  engine::CancelToken cancel;
  std::optional<CancelOnInterrupt> interrupt(cancel);
  engine::RunEvents events;
  if (!json) {
    events.nodeChanged = [&](graph::NodeId id, const engine::NodeStatus& status) {
      if (status.state == engine::NodeState::Pending || status.state == engine::NodeState::Running) return;
      std::printf("%s\n", statusLine(document, id, status).c_str());
      std::fflush(stdout);
    };
  }
  engine::GraphExecutor executor;
  // Under mpirun/srun every rank runs the project; Evaluate, Sweep and Export nodes divide their work.
  auto& ranks = cluster::world();
  executor.setRanks(&ranks);
  const auto summary = executor.run(document, targets, events, cancel);
  interrupt.reset();
  // A failure of the run itself (not of one node) goes to stderr, whatever the output format.
  if (!summary.failure.empty()) std::fprintf(stderr, "run failed: %s\n", summary.failure.c_str());

  std::string scoreFile;
  bool saved = true;
  try {
    if (ranks.isRoot()) scoreFile = saveScores(project, document, summary); // every rank has the same results
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    saved = false;
  }
  if (json) {
    auto j = summaryJson(project, document, summary);
    j["scores_file"] = scoreFile.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(scoreFile);
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    if (summary.order.empty() && summary.failure.empty())
      std::printf("%s: nothing to run (no sink nodes)\n", project.c_str());
    if (!scoreFile.empty()) std::printf("scores saved to %s\n", scoreFile.c_str());
  }
  return summary.ok() && saved ? kExitOk : kExitFailure;
}

} // namespace mg::cli
