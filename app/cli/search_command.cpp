// merganser-cli search PROJECT.mgproj [--node ID|TITLE] [--budget N] [--journal FILE] [--save] [--json]
// Runs a project's Search node headless: prints each candidate as it is scored, then the winner's
// validation and test scores. Every score goes to a journal (by default PROJECT.search-<id>.journal, or
// the node's own 'journal'), so a search stopped with Ctrl+C, or run again with a larger budget, resumes
// without scoring its candidates again. --save adds the winner to the project as an ordinary merge node
// (the file is replaced atomically; the graph is otherwise untouched).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/project_loading.h"
#include "engine/graph_executor.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "graph/search_plan.h"
#include "util/number_text.h"
#include "util/percent_text.h"

namespace mg::cli {

namespace {

constexpr const char* kSearchUsage =
    "usage: merganser-cli search PROJECT.mgproj [--node ID|TITLE] [--budget N] [--journal FILE] [--save] "
    "[--json]\n";

// The Search node `wanted` names (an id or a title), or the project's only one.
std::optional<graph::NodeId> findSearchNode(const graph::Document& document, const std::string& wanted,
                                            std::string& error) {
  std::vector<graph::NodeId> found;
  for (const auto& [id, node] : document.nodes()) {
    if (node.type != graph::node_types::kSearch) continue;
    if (wanted.empty() || node.title == wanted || std::to_string(id) == wanted) found.push_back(id);
  }
  if (found.size() == 1) return found.front();
  if (found.empty())
    error = wanted.empty() ? "the project has no Search node" : "no Search node '" + wanted + "'";
  else
    error = "the project has several Search nodes: name one with --node";
  return std::nullopt;
}

} // namespace

int runSearch(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"--node", "--budget", "--journal"}, {"--save", "--json"});
  if (!args.error().empty()) return usageError("search", args.error(), kSearchUsage);
  if (args.positional().size() != 1) return usageError("search", "give one project file", kSearchUsage);
  const std::string project = args.positional().front();
  auto loaded = loadProjectOrReport(project);
  if (!loaded) return kExitBadInput;
  graph::Document document = *loaded;

  std::string error;
  const auto nodeArg = args.values("--node");
  const auto search = findSearchNode(document, nodeArg.empty() ? "" : nodeArg.back(), error);
  if (!search) return usageError("search", project + ": " + error, kSearchUsage);
  if (const auto budget = args.values("--budget"); !budget.empty()) {
    const auto value = util::parseInteger(budget.back());
    if (!value || *value < 1) return usageError("search", "--budget takes a whole number >= 1", kSearchUsage);
    if (auto problem = document.setParam(*search, "budget", std::int64_t(*value)))
      return usageError("search", "--budget: " + *problem, kSearchUsage);
  }
  std::string journal = args.values("--journal").empty() ? "" : args.values("--journal").back();
  if (journal.empty()) {
    const auto* own = document.param(*search, "journal");
    journal = own && own->is_string() && !own->get<std::string>().empty()
                  ? own->get<std::string>()
                  : project + ".search-" + std::to_string(*search) + ".journal";
  }
  document.setParam(*search, "journal", journal);
  const graph::SearchPlan plan = graph::planSearch(document, *search);
  if (!plan.ok()) {
    std::fprintf(stderr, "%s: Search node %llu: %s\n", project.c_str(),
                 static_cast<unsigned long long>(*search), plan.error.c_str());
    return kExitBadInput;
  }

  const bool json = args.flag("--json");
  engine::CancelToken cancel;
  std::optional<CancelOnInterrupt> interrupt(cancel);
  engine::RunEvents events;
  std::string lastStep;
  events.nodeChanged = [&](graph::NodeId id, const engine::NodeStatus& status) {
    if (json || id != *search || status.state != engine::NodeState::Running) return;
    // One line per candidate scored (the runner's "candidate N: ..., best ..." steps).
    if (status.message.rfind("candidate ", 0) == 0 && status.message.find("best") != std::string::npos &&
        status.message != lastStep) {
      std::printf("%s\n", status.message.c_str());
      std::fflush(stdout);
      lastStep = status.message;
    }
  };
  engine::GraphExecutor executor;
  const auto summary = executor.run(document, {*search}, events, cancel);
  interrupt.reset();
  const auto& status = summary.nodes.count(*search) ? summary.nodes.at(*search) : engine::NodeStatus{};
  if (!summary.ok()) {
    std::string why = summary.failure;
    for (const auto& [id, other] : summary.nodes)
      if (why.empty() && other.state == engine::NodeState::Failed)
        why = "node " + std::to_string(id) + " '" + document.at(id).title + "': " + other.message;
    if (summary.cancelled) why = "stopped; run again to resume from " + journal;
    std::fprintf(stderr, "%s: search %s\n", project.c_str(), why.c_str());
    return kExitFailure;
  }

  std::optional<graph::NodeId> added;
  if (args.flag("--save") && !status.searchWinners.empty()) {
    const auto& winner = status.searchWinners.front();
    graph::Document saved = *loaded;
    try {
      added = graph::addSearchWinner(saved, plan, winner.weights, winner.densities, winner.rules);
      graph::saveProject(saved, project);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: cannot add the winner: %s\n", project.c_str(), e.what());
      return kExitFailure;
    }
  }
  if (json) {
    nlohmann::ordered_json j;
    j["project"] = project;
    j["node"] = *search;
    j["journal"] = journal;
    j["facts"] = status.facts;
    if (!status.searchWinners.empty()) {
      const auto& winner = status.searchWinners.front();
      j["winner"] = {{"target", winner.target},         {"weights", winner.weights},
                     {"densities", winner.densities},   {"rules", winner.rules},
                     {"validation", winner.validation}, {"test", winner.test}};
    }
    j["added_node"] = added ? nlohmann::ordered_json(*added) : nlohmann::ordered_json();
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    for (const auto& fact : status.facts)
      std::printf("%s\n", fact.c_str());
    if (added)
      std::printf("added node %llu '%s' to %s\n", static_cast<unsigned long long>(*added),
                  (document.at(plan.target).title + " (searched)").c_str(), project.c_str());
  }
  return kExitOk;
}

} // namespace mg::cli
