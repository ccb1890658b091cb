#include "demo/method_table.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include "demo/benchmark_project.h"
#include "demo/project_builder.h"
#include "engine/graph_executor.h"
#include "eval/evaluation.h"
#include "ops/method_schemas.h"
#include "util/percent_text.h"

namespace fs = std::filesystem;

namespace mg::demo {

std::vector<MethodRowSpec> methodTableRows(std::size_t specialists) {
  using Kind = MethodRowSpec::Kind;
  std::vector<MethodRowSpec> rows = {{"Base (frozen task heads)", Kind::Base},
                                     {"Specialists (each on its own task)", Kind::Specialists}};
  // Every method's λ is chosen on the validation examples from one grid (the papers tune theirs on held-out
  // data too); the average's is 1/n by definition and TIES keeps its paper's density.
  for (const auto& merge : benchmarkMerges(specialists)) {
    MethodRowSpec row{merge.title, Kind::Merge, merge.method, merge.params};
    if (merge.title != "Average" && ops::mergeMethod(merge.method).param("lambda")) {
      row.label += " (λ swept)";
      row.params.erase(std::remove_if(row.params.begin(), row.params.end(),
                                      [](const auto& p) { return p.first == "lambda"; }),
                       row.params.end());
      row.sweep = "lambda";
      row.grid = {0.03, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0};
    }
    rows.push_back(row);
  }
  // The rows of methods that are not plain merges of every specialist. Each runs when the registry (or the
  // graph) has what it needs; until then it stays in the table with its note.
  rows.push_back({"KnOTS (TIES on aligned LoRA)",
                  Kind::LoraMerge,
                  "knots",
                  {},
                  {},
                  {},
                  "merges the 12 LoRA specialists only"});
  rows.push_back({"Fisher", Kind::Merge, "fisher", {}, {}, {}, ""});
  rows.push_back({"RegMean", Kind::Merge, "regmean", {}, {}, {}, ""});
  // Searches score candidates on the validation tasks and report their winner on test. Greedy soup soups
  // the specialists (normalized task arithmetic: base + the mean of the kept task vectors); CMA-ES and
  // AdaMerging search task arithmetic's per-model coefficients, from 0.05 each (near the swept task
  // arithmetic's optimum).
  rows.push_back({"Greedy soup", Kind::Search, "greedy_soup", {}, {}, {}, ""});
  rows.push_back({"CMA-ES (weights in [0, 0.3])",
                  Kind::Search,
                  "cmaes",
                  {{"budget", 60}, {"weight_min", 0.0}, {"weight_max", 0.3}},
                  {},
                  {},
                  ""});
  rows.push_back({"AdaMerging (layer-wise)",
                  Kind::Search,
                  "adamerging",
                  {{"budget", 100}, {"initial_coefficient", 0.05}, {"learning_rate", 0.001}},
                  {},
                  {},
                  ""});
  // Routers choose among the LoRA specialists (routing mixes LoRA factors; the full fine-tunes are not
  // among them), behind the base's convolutions.
  for (const auto& [label, method] : {std::pair{"Router (nearest, top-1)", "nearest"},
                                      {"Router (arrow, top-1)", "arrow"},
                                      {"Router (trained, top-1)", "trained"},
                                      {"SMEAR (soft merge)", "smear"}})
    rows.push_back({label, Kind::Router, method, {}, {}, {}, ""});
  return rows;
}

namespace {

namespace types = graph::node_types;

std::vector<std::string> sortedEntries(const fs::path& folder, bool folders) {
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return names;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (folders ? entry.is_directory(ec) : entry.path().extension() == ".h5")
      names.push_back(folders ? entry.path().filename().string() : entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A row's nodes in the scoring graph: Evaluate nodes (or a Router) on the test tasks, and for a swept row
// one per grid value, with the same on the validation tasks.
struct RowNodes {
  std::vector<graph::NodeId> test, validation;
};

using TaskAccuracy = std::map<std::string, double>;

TaskAccuracy accuracyOf(const engine::RunSummary& summary, graph::NodeId node, std::string& problem) {
  TaskAccuracy accuracy;
  const auto found = summary.nodes.find(node);
  if (found == summary.nodes.end()) {
    problem = "not run";
    return accuracy;
  }
  const auto& status = found->second;
  if (status.state == engine::NodeState::Failed) {
    problem = status.message;
    return accuracy;
  }
  if (status.results.empty() || !status.results.front().scores) {
    problem = "no scores";
    return accuracy;
  }
  for (const auto& score : *status.results.front().scores)
    accuracy[score.task] = score.accuracy;
  return accuracy;
}

double meanOver(const TaskAccuracy& accuracy, const std::vector<std::string>& tasks) {
  double sum = 0;
  for (const auto& task : tasks)
    sum += accuracy.count(task) ? accuracy.at(task) : 0.0;
  return tasks.empty() ? 0.0 : sum / double(tasks.size());
}

bool typeExists(const std::string& type) {
  graph::Document probe;
  return probe.nodeType(probe.addNode(type)) != nullptr;
}

} // namespace

MethodTable scoreMethods(const std::string& zooFolder, const engine::CancelToken& cancel,
                         const std::function<void(const std::string& step, double fraction)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  const fs::path root(zooFolder);
  for (const char* entry : {"base/config.json", "tasks", "tasks/val"})
    if (!fs::exists(root / entry))
      throw std::runtime_error(zooFolder + ": not a benchmark zoo (no " + entry +
                               "); build it with merganser-cli demo --zoo benchmark --out " + zooFolder);
  const auto loraTasks = sortedEntries(root / "adapters", true);
  const auto fullTasks = sortedEntries(root / "finetunes", true);
  MethodTable table;
  table.specialistTasks = loraTasks;
  table.specialistTasks.insert(table.specialistTasks.end(), fullTasks.begin(), fullTasks.end());
  const std::set<std::string> withSpecialist(table.specialistTasks.begin(), table.specialistTasks.end());
  for (const auto& task : sortedEntries(root / "tasks", false))
    if (!withSpecialist.count(task)) table.heldOutTasks.push_back(task);
  if (table.specialistTasks.empty())
    throw std::runtime_error(zooFolder + ": no specialists in adapters/ or finetunes/");

  ProjectBuilder b;
  const auto base = b.source(types::kSourceModel, "Base", (root / "base").string());
  const auto test = b.source(types::kSourceTasks, "Test tasks", (root / "tasks").string());
  const auto validation =
      b.source(types::kSourceTasks, "Validation tasks", (root / "tasks" / "val").string());
  std::vector<graph::NodeId> specialists, adapters;
  for (const auto& task : loraTasks)
    adapters.push_back(b.source(types::kSourceAdapter, "LoRA " + task, (root / "adapters" / task).string()));
  specialists = adapters;
  for (const auto& task : fullTasks)
    specialists.push_back(
        b.source(types::kSourceModel, "Fine-tune " + task, (root / "finetunes" / task).string()));
  std::vector<graph::NodeId> specialistEvaluations;
  for (std::size_t i = 0; i < specialists.size(); ++i)
    specialistEvaluations.push_back(b.evaluate(specialists[i], test, base, i < adapters.size()));

  const auto specs = methodTableRows(specialists.size());
  const auto methodNames = ops::mergeMethodNames();
  std::vector<RowNodes> nodes(specs.size());
  table.rows.resize(specs.size());
  for (std::size_t r = 0; r < specs.size(); ++r) {
    const auto& spec = specs[r];
    auto& row = table.rows[r];
    row.label = spec.label;
    row.note = spec.note;
    using Kind = MethodRowSpec::Kind;
    if (spec.kind == Kind::Base) {
      nodes[r].test.push_back(b.evaluate(base, test, base, false));
    } else if (spec.kind == Kind::Router) {
      const auto router = b.specialistSink(types::kRouter, spec.label, base, test, adapters);
      b.check(b.doc.setParam(router, "method", spec.method));
      b.check(b.doc.connect({validation, 0}, {router, *b.doc.nodeType(router)->inputIndex("fit")}));
      nodes[r].test.push_back(router);
      row.note =
          "routes each input among the " + std::to_string(adapters.size()) + " LoRA specialists; " +
          (spec.method == "arrow" ? std::string("no data (the adapters' singular vectors)")
                                  : std::string("fitted on the first 64 validation examples per task"));
    } else if (spec.kind == Kind::Search) {
      const bool soup = spec.method == "greedy_soup";
      const auto merge =
          b.merge("task_arithmetic", spec.label + " merge", base, specialists, {{"lambda", 1.0}});
      if (soup) b.check(b.doc.setParam(merge, "normalize", true)); // base + the mean of the kept task vectors
      for (std::size_t i = 0; !soup && i < specialists.size(); ++i)
        b.check(b.doc.setInputWeight(merge, 1 + i, 0.05));
      const auto search = b.node(types::kSearch, spec.label);
      b.check(b.doc.setParam(search, "algorithm", spec.method));
      b.check(b.doc.setParam(search, "validation_examples", std::int64_t(500)));
      for (const auto& [name, value] : spec.params) {
        const bool integral = name == "budget";
        b.check(integral ? b.doc.setParam(search, name, std::int64_t(value))
                         : b.doc.setParam(search, name, value));
      }
      b.check(b.doc.connect({b.evaluate(merge, test, base, false), 0}, {search, 0}));
      b.check(b.doc.connect({validation, 0}, {search, 1}));
      nodes[r].test.push_back(search);
    } else if (spec.kind == Kind::Merge || spec.kind == Kind::LoraMerge) {
      if (std::find(methodNames.begin(), methodNames.end(), spec.method) == methodNames.end()) {
        row.note = "method '" + spec.method + "' is not in the merge registry yet";
        continue;
      }
      const auto type = graph::mergeNodeTypeId(spec.method);
      if (!typeExists(type)) {
        row.note = "no merge node for '" + spec.method + "' yet";
        continue;
      }
      const bool needsData = ops::mergeMethod(spec.method).needsData;
      const auto& inputs = spec.kind == Kind::LoraMerge ? adapters : specialists;
      const auto values = spec.grid.empty() ? std::vector<double>{0.0} : spec.grid;
      for (const double value : values) {
        auto params = spec.params;
        if (!spec.sweep.empty()) params.emplace_back(spec.sweep, value);
        const auto merge = b.merge(spec.method, spec.label, base, inputs, params);
        if (needsData) { // data-aware merges gather on the validation examples, never the test ones
          const auto port = b.doc.nodeType(merge)->inputIndex("tasks");
          if (!port) {
            row.note = "needs task data on its merge node (a Tasks input), which it has not yet";
            break;
          }
          b.check(b.doc.connect({validation, 0}, {merge, *port}));
        }
        nodes[r].test.push_back(b.evaluate(merge, test, base, spec.kind == Kind::LoraMerge));
        if (!spec.sweep.empty()) nodes[r].validation.push_back(b.evaluate(merge, validation, base, false));
      }
    }
  }

  // Two runs: first everything but the swept rows' test evaluations, then (the grid value chosen on
  // validation) only the chosen one's, so a sweep costs one test evaluation, not one per value.
  std::vector<graph::NodeId> first = specialistEvaluations, second;
  for (std::size_t r = 0; r < specs.size(); ++r) {
    const auto& n = nodes[r];
    if (n.validation.empty()) first.insert(first.end(), n.test.begin(), n.test.end());
    first.insert(first.end(), n.validation.begin(), n.validation.end());
  }
  std::size_t total = first.size() * 2, finished = 0; // about two nodes (a merge, its evaluation) per target
  engine::RunEvents events;
  events.nodeChanged = [&](graph::NodeId id, const engine::NodeStatus& status) {
    if (status.state == engine::NodeState::Done || status.state == engine::NodeState::Cached ||
        status.state == engine::NodeState::Failed) {
      ++finished;
      if (progress)
        progress("scoring: " + b.doc.at(id).title, std::min(0.99, double(finished) / double(total)));
    }
  };
  engine::GraphExecutor executor;
  const auto runTargets = [&](const std::vector<graph::NodeId>& targets, engine::RunSummary& into) {
    auto summary = executor.run(b.doc, targets, events, cancel);
    if (summary.cancelled) cancel.throwIfCancelled();
    if (!summary.failure.empty()) throw std::runtime_error("scoring the methods: " + summary.failure);
    for (auto& [id, status] : summary.nodes)
      into.nodes[id] = std::move(status);
  };
  engine::RunSummary summary;
  runTargets(first, summary);
  std::vector<std::size_t> chosen(specs.size(), 0);
  std::vector<double> chosenScore(specs.size(), -1);
  for (std::size_t r = 0; r < specs.size(); ++r) {
    for (std::size_t i = 0; i < nodes[r].validation.size(); ++i) {
      std::string problem;
      const double score =
          meanOver(accuracyOf(summary, nodes[r].validation[i], problem), table.specialistTasks);
      if (problem.empty() && score > chosenScore[r]) chosenScore[r] = score, chosen[r] = i;
    }
    if (!nodes[r].validation.empty()) second.push_back(nodes[r].test[chosen[r]]);
  }
  if (!second.empty()) runTargets(second, summary);

  TaskAccuracy own; // each specialist task's specialist
  for (std::size_t i = 0; i < specialists.size(); ++i) {
    std::string problem;
    const auto accuracy = accuracyOf(summary, specialistEvaluations[i], problem);
    if (!problem.empty())
      throw std::runtime_error("evaluating specialist " + table.specialistTasks[i] + ": " + problem);
    own[table.specialistTasks[i]] =
        accuracy.count(table.specialistTasks[i]) ? accuracy.at(table.specialistTasks[i]) : 0.0;
  }
  const auto fill = [&](MethodRow& row, const TaskAccuracy& accuracy) {
    row.scored = true;
    row.specialistAccuracy = meanOver(accuracy, table.specialistTasks);
    double normalized = 0;
    for (const auto& task : table.specialistTasks)
      normalized += own.at(task) > 0 && accuracy.count(task) ? accuracy.at(task) / own.at(task) : 0.0;
    row.normalized = normalized / double(table.specialistTasks.size());
    row.heldOutAccuracy = meanOver(accuracy, table.heldOutTasks);
  };
  for (std::size_t r = 0; r < specs.size(); ++r) {
    auto& row = table.rows[r];
    if (specs[r].kind == MethodRowSpec::Kind::Specialists) {
      fill(row, own);
      row.heldOutAccuracy = 0;
      row.note = "no specialist for the held-out tasks";
      continue;
    }
    if (nodes[r].test.empty()) continue;
    if (!nodes[r].validation.empty()) {
      char text[160];
      std::snprintf(text, sizeof text, "%s %g chosen on validation (mean %s)", specs[r].sweep.c_str(),
                    specs[r].grid[chosen[r]], util::percentText(chosenScore[r]).c_str());
      row.note = text;
    }
    std::string problem;
    const auto accuracy = accuracyOf(summary, nodes[r].test[chosen[r]], problem);
    if (!problem.empty()) {
      row.note = "failed: " + problem;
      table.failed = true;
      continue;
    }
    fill(row, accuracy);
    if (specs[r].kind == MethodRowSpec::Kind::Search) // what won, from the Search node's facts
      for (const auto& fact : summary.nodes.at(nodes[r].test[chosen[r]]).facts)
        if (fact.rfind("winner:", 0) == 0 || fact.find("candidates evaluated") != std::string::npos)
          row.note += (row.note.empty() ? "" : "; ") + fact;
  }
  table.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return table;
}

std::string methodTableMarkdown(const MethodTable& table) {
  std::string out =
      "| method | specialist tasks: accuracy | normalized | held-out tasks: accuracy | notes |\n"
      "|---|---:|---:|---:|---|\n";
  const auto percent = [](double fraction) { return util::percentText(fraction, false); };
  for (const auto& row : table.rows) {
    out += "| " + row.label + " | ";
    if (row.scored) {
      out += percent(row.specialistAccuracy) + " | " + percent(row.normalized) + " | " +
             (row.heldOutAccuracy > 0 || table.heldOutTasks.empty() ? percent(row.heldOutAccuracy)
                                                                    : std::string("–")) +
             " | ";
    } else {
      out += "– | – | – | ";
    }
    out += row.note + " |\n";
  }
  char footer[512];
  std::snprintf(footer, sizeof footer,
                "\nAccuracy in %%, test examples; %zu specialist tasks, %zu held-out tasks; normalized: "
                "accuracy ÷ the task's specialist's, averaged over the specialist tasks. Scored in %.0f s.\n",
                table.specialistTasks.size(), table.heldOutTasks.size(), table.seconds);
  return out + footer;
}

} // namespace mg::demo
