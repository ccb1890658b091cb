// mergekit YAML on the command line:
//   merganser-cli merge --config RECIPE.yml --out PATH [--json]   runs the recipe
//   merganser-cli import RECIPE.yml --out PROJECT.mgproj           turns it into a project
//   merganser-cli export-yaml PROJECT.mgproj --node ID [--out FILE] writes a merge node's recipe
// `merge --config` imports the recipe into a graph and runs its Export node, so the command line and the
// workbench build the same merge from the same file (core/mergekit/config_graph.h).
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "cli/project_loading.h"
#include "engine/graph_executor.h"
#include "graph/project_file.h"
#include "mergekit/config_graph.h"
#include "mergekit/yaml_reader.h"
#include "mergekit/yaml_writer.h"
#include "util/number_text.h"

namespace mg::cli {

namespace {

// The recipe as a graph, its warnings printed; nullopt (the error printed) when the file is refused.
std::optional<mergekit::ImportedGraph> importRecipe(const std::string& path, const std::string& exportPath) {
  try {
    auto imported = mergekit::importConfig(mergekit::readConfig(path), exportPath);
    for (const auto& warning : imported.warnings)
      std::fprintf(stderr, "warning: %s\n", warning.c_str());
    return imported;
  } catch (const mergekit::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return std::nullopt;
  }
}

} // namespace

int runMergeConfig(const std::vector<std::string>& argv) {
  static constexpr const char* kUsage =
      "usage: merganser-cli merge --config RECIPE.yml --out PATH [--json]\n";
  const Arguments args(argv, {"--config", "--out"}, {"--json"});
  if (!args.error().empty()) return usageError("merge", args.error(), kUsage);
  if (args.value("--config").empty() || args.value("--out").empty() || !args.positional().empty())
    return usageError("merge", "--config and --out are required (and nothing else with --config)", kUsage);
  auto imported =
      importRecipe(args.value("--config"), std::filesystem::absolute(args.value("--out")).string());
  if (!imported) return kExitBadInput;

  engine::CancelToken cancel;
  std::optional<CancelOnInterrupt> interrupt(cancel);
  engine::GraphExecutor executor;
  const auto summary = executor.run(imported->document, {imported->exporter}, {}, cancel);
  interrupt.reset();
  nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
  for (const auto id : summary.order) {
    const auto& status = summary.nodes.at(id);
    const auto& title = imported->document.at(id).title;
    nodes.push_back({{"id", id},
                     {"title", title},
                     {"state", engine::nodeStateName(status.state)},
                     {"message", status.message},
                     {"warnings", status.warnings}});
    for (const auto& w : status.warnings)
      std::fprintf(stderr, "warning: %s: %s\n", title.c_str(), w.c_str());
    if (status.state == engine::NodeState::Failed)
      std::fprintf(stderr, "merganser-cli merge: %s: %s\n", title.c_str(), status.message.c_str());
  }
  if (!summary.failure.empty()) std::fprintf(stderr, "merganser-cli merge: %s\n", summary.failure.c_str());
  if (args.flag("--json")) {
    nlohmann::ordered_json j;
    j["config"] = args.value("--config");
    j["output"] = args.value("--out");
    j["ok"] = summary.ok();
    j["nodes"] = nodes;
    std::printf("%s\n", j.dump(2).c_str());
  } else if (summary.ok()) {
    const auto& facts = summary.nodes.at(imported->exporter).facts;
    std::printf("wrote %s%s%s\n", args.value("--out").c_str(), facts.empty() ? "" : ": ",
                facts.empty() ? "" : facts.front().c_str());
  }
  return summary.ok() ? kExitOk : kExitFailure;
}

int runImport(const std::vector<std::string>& argv) {
  static constexpr const char* kUsage = "usage: merganser-cli import RECIPE.yml --out PROJECT.mgproj\n";
  const Arguments args(argv, {"--out"}, {});
  if (!args.error().empty()) return usageError("import", args.error(), kUsage);
  if (args.positional().size() != 1 || args.value("--out").empty())
    return usageError("import", "give one recipe and --out", kUsage);
  const std::string recipe = args.positional().front();
  auto imported = importRecipe(recipe, mergekit::defaultExportPath(recipe));
  if (!imported) return kExitBadInput;
  try {
    graph::saveProject(imported->document, args.value("--out"));
  } catch (const io::IoError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitFailure;
  }
  std::printf("wrote %s: merge node %llu, export node %llu\n", args.value("--out").c_str(),
              static_cast<unsigned long long>(imported->merge),
              static_cast<unsigned long long>(imported->exporter));
  return kExitOk;
}

int runExportYaml(const std::vector<std::string>& argv) {
  static constexpr const char* kUsage =
      "usage: merganser-cli export-yaml PROJECT.mgproj --node ID [--out FILE]\n";
  const Arguments args(argv, {"--node", "--out"}, {});
  if (!args.error().empty()) return usageError("export-yaml", args.error(), kUsage);
  if (args.positional().size() != 1 || args.value("--node").empty())
    return usageError("export-yaml", "give one project and --node", kUsage);
  const std::string project = args.positional().front();
  auto loaded = loadProjectOrReport(project);
  if (!loaded) return kExitBadInput;
  graph::Document& document = *loaded;
  mergekit::MergekitConfig config;
  try {
    const auto id = util::parseInteger(args.value("--node"));
    if (!id || *id <= 0)
      throw std::invalid_argument("--node '" + args.value("--node") + "' is not a node id");
    config = mergekit::exportConfig(document, static_cast<graph::NodeId>(*id));
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "%s: %s\n", project.c_str(), e.what());
    return kExitBadInput;
  } catch (const std::out_of_range&) {
    std::fprintf(stderr, "%s: no node %s\n", project.c_str(), args.value("--node").c_str());
    return kExitBadInput;
  }
  try {
    if (args.value("--out").empty()) {
      std::printf("%s", mergekit::configYaml(config, std::filesystem::current_path().string()).c_str());
    } else {
      mergekit::writeConfig(config, args.value("--out"));
      std::printf("wrote %s\n", args.value("--out").c_str());
    }
  } catch (const io::IoError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitFailure;
  }
  return kExitOk;
}

} // namespace mg::cli
