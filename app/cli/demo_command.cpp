// merganser-cli demo --out DIR [--zoo basic|benchmark|text] [--quick] [--seed N] [--no-run] [--table]
// Trains a demo zoo on Fashion-MNIST (core/demo), then runs its project: every model evaluated on every
// task, printed as one table, so the user sees what merging does before opening the workbench. --zoo
// benchmark builds the second zoo (demo/benchmark_zoo.h); --table then (or on an existing benchmark zoo)
// prints the per-method table of demo/method_table.h instead of running the project. --zoo text trains a
// small language model and its LoRA specialists on string skills (demo/text_zoo.h).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include <unistd.h>

#include "util/percent_text.h"
#include "cli/arguments.h"
#include "cli/command.h"
#include "cli/interrupt.h"
#include "demo/benchmark_zoo.h"
#include "demo/demo_zoo.h"
#include "demo/method_table.h"
#include "demo/text_zoo.h"
#include "engine/graph_executor.h"
#include "results/collect_run.h"
#include "results/results_file.h"
#include "eval/evaluation.h"
#include "results/results_file.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"

namespace mg::cli {

namespace {

std::string percentNumber(double fraction) {
  return util::percentText(fraction, false);
}

// "[ 40%] training the flip specialist" on stderr: redrawn on a terminal, one line per step otherwise.
class StepProgress {
public:
  void update(const std::string& step, double fraction) {
    const int percent = static_cast<int>(fraction * 100.0);
    if (tty_) {
      std::fprintf(stderr, "\r[%3d%%] %-60s", percent, step.c_str());
    } else if (step != last_) {
      std::fprintf(stderr, "[%3d%%] %s\n", percent, step.c_str());
    }
    last_ = step;
  }
  void finish() {
    if (tty_ && !last_.empty()) std::fprintf(stderr, "\n");
    last_.clear();
  }

private:
  bool tty_ = isatty(fileno(stderr)) != 0;
  std::string last_;
};

std::string padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

void printTraining(const demo::DemoReport& report) {
  std::printf("base model trained in %.1f s\n", report.baseTrainSeconds);
  std::printf("%-22s %-8s %8s %8s %8s\n", "specialist", "kind", "base %", "spec %", "train s");
  for (const auto& s : report.specialists)
    std::printf("%-22s %-8s %8s %8s %8.1f\n", s.task.c_str(), s.fullFineTune ? "full" : "LoRA",
                percentNumber(s.baseAccuracy).c_str(), percentNumber(s.accuracy).c_str(), s.trainSeconds);
}

void printTextTraining(const demo::TextZooReport& report) {
  std::printf("tokenizer (%lld tokens) trained in %.1f s; base (%.2f M parameters) pre-trained in %.1f s "
              "(answer loss %.3f per token)\n",
              static_cast<long long>(report.vocabulary), report.tokenizerSeconds,
              double(report.parameters) / 1e6, report.baseTrainSeconds, report.baseLoss);
  std::printf("%-12s %14s %14s %14s %14s %8s\n", "specialist", "base exact %", "spec exact %",
              "base choice %", "spec choice %", "train s");
  for (const auto& s : report.specialists)
    std::printf("%-12s %14s %14s %14s %14s %8.1f\n", s.skill.c_str(), percentNumber(s.baseExactMatch).c_str(),
                percentNumber(s.exactMatch).c_str(), percentNumber(s.baseChoice).c_str(),
                percentNumber(s.choice).c_str(), s.trainSeconds);
}

// A heatmap's numbers as a table, with its title and how to read it.
void printMatrix(const engine::MatrixValue& matrix) {
  std::printf("\n%s: %s\n", matrix.title.c_str(), matrix.note.c_str());
  std::string header = padded("", 26);
  for (const auto& column : matrix.columns)
    header += padded(column, 15);
  std::printf("%s\n", header.c_str());
  for (std::size_t row = 0; row < matrix.rows.size(); ++row) {
    std::string line = padded(matrix.rows[row], 26);
    for (const double value : matrix.values[row]) {
      std::ostringstream cell;
      cell << std::fixed << std::setprecision(3) << value;
      line += padded(cell.str(), 15);
    }
    std::printf("%s\n", line.c_str());
  }
}

// A scatter's points as a table (Merge gain: one row per pair), with its title and how to read it.
void printScatter(const engine::ScatterValue& scatter) {
  std::printf("\n%s: %s\n", scatter.title.c_str(), scatter.note.c_str());
  std::printf("%s%s%s\n", padded("pair", 36).c_str(), padded("similarity", 15).c_str(), "gain (points)");
  for (const auto& point : scatter.points) {
    char x[32], y[32];
    std::snprintf(x, sizeof x, "%.3f", point.x);
    std::snprintf(y, sizeof y, "%+.1f", point.y);
    // padded() counts bytes: widen by the label's UTF-8 continuation bytes ("×") to align its columns.
    const auto extra = std::count_if(point.label.begin(), point.label.end(),
                                     [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; });
    std::printf("%s%s%s\n", padded(point.label, 36 + std::size_t(extra)).c_str(), padded(x, 15).c_str(), y);
  }
}

// Per-task accuracy of every model the project compares, one row per model; then the sweeps' points.
void printComparison(const engine::RunSummary& summary, const graph::Document& document) {
  for (const auto id : summary.order) {
    for (const auto& matrix : summary.nodes.at(id).matrices)
      printMatrix(matrix);
    for (const auto& scatter : summary.nodes.at(id).scatters)
      printScatter(scatter);
    if (document.at(id).type == graph::node_types::kSweep) {
      std::printf("\n%s\n", document.at(id).title.c_str());
      for (const auto& fact : summary.nodes.at(id).facts)
        std::printf("  %s\n", fact.c_str());
    }
    if (document.at(id).type != graph::node_types::kCompare) continue;
    const auto& results = summary.nodes.at(id).results;
    if (results.empty() || !results.front().scores) continue;
    std::string header = padded("accuracy %", 26);
    for (const auto& score : *results.front().scores)
      header += padded(score.task, 15);
    std::printf("\n%smean\n", header.c_str());
    for (const auto& model : results) {
      std::string line = padded(model.model, 26);
      double sum = 0;
      for (const auto& score : *model.scores) {
        line += padded(percentNumber(score.accuracy), 15);
        sum += score.accuracy;
      }
      std::printf("%s%s\n", line.c_str(), percentNumber(sum / double(model.scores->size())).c_str());
    }
  }
}

// The per-method table of a benchmark zoo on stdout (markdown), progress on stderr.
int printMethodTable(const std::string& zooFolder, const engine::CancelToken& cancel) {
  StepProgress bar;
  try {
    const auto table = demo::scoreMethods(
        zooFolder, cancel, [&](const std::string& step, double fraction) { bar.update(step, fraction); });
    bar.finish();
    std::printf("%s", demo::methodTableMarkdown(table).c_str());
    return table.failed ? kExitFailure : kExitOk;
  } catch (const engine::Cancelled&) {
    bar.finish();
    std::fprintf(stderr, "merganser-cli demo: cancelled\n");
    return kExitFailure;
  } catch (const std::exception& e) {
    bar.finish();
    std::fprintf(stderr, "merganser-cli demo: %s\n", e.what());
    return kExitBadInput;
  }
}

} // namespace

int runDemo(const std::vector<std::string>& argv) {
  static constexpr const char* kUsage =
      "usage: merganser-cli demo --out DIR [--zoo basic|benchmark|text] [--quick] [--seed N] [--no-run] "
      "[--table]\n"
      "  --zoo benchmark   a CNN base with a frozen head per task and 16 specialists (LoRA and full\n"
      "                    fine-tunes) on 20 tasks, 4 of them held out; about 10 minutes on two cores\n"
      "  --zoo text        a small Llama pre-trained on string skills, a LoRA specialist per skill and\n"
      "                    held-out compositions of two skills; a few minutes on two cores\n"
      "  --table           (benchmark) merge with each method and print the per-method markdown table;\n"
      "                    on an existing zoo at --out it only prints the table\n";
  const Arguments args(argv, {"--out", "--seed", "--dataset", "--zoo"}, {"--quick", "--no-run", "--table"});
  if (!args.error().empty()) return usageError("demo", args.error(), kUsage);
  if (args.value("--out").empty() || !args.positional().empty())
    return usageError("demo", "give the output folder with --out", kUsage);

  demo::DemoOptions options;
  options.outFolder = args.value("--out");
  options.quick = args.flag("--quick");
  options.datasetFolder = args.value("--dataset");
  if (!args.value("--seed").empty()) {
    try {
      options.seed = std::stoull(args.value("--seed"));
    } catch (const std::exception&) {
      return usageError("demo", "--seed takes a non-negative integer", kUsage);
    }
  }
  const std::string zoo = args.value("--zoo").empty() ? "basic" : args.value("--zoo");
  if (zoo != "basic" && zoo != "benchmark" && zoo != "text")
    return usageError("demo", "unknown zoo '" + zoo + "' (basic, benchmark, text)", kUsage);
  const bool table = args.flag("--table");
  if (table && zoo != "benchmark") return usageError("demo", "--table takes --zoo benchmark", kUsage);
  engine::CancelToken cancel;
  CancelOnInterrupt interrupt(cancel);
  if (table &&
      std::filesystem::exists(std::filesystem::path(options.outFolder) / demo::kBenchmarkProjectFile))
    return printMethodTable(options.outFolder, cancel);
  options.cancel = &cancel;
  StepProgress bar;
  options.progress = [&](const std::string& step, double fraction) { bar.update(step, fraction); };

  demo::DemoReport report;
  demo::TextZooReport textReport;
  try {
    if (zoo == "text")
      textReport = demo::buildTextZoo(options);
    else
      report = zoo == "benchmark" ? demo::buildBenchmarkZoo(options) : demo::buildDemoZoo(options);
  } catch (const engine::Cancelled&) {
    bar.finish();
    std::fprintf(stderr, "merganser-cli demo: cancelled; nothing was written to %s\n",
                 options.outFolder.c_str());
    return kExitFailure;
  } catch (const std::exception& e) {
    bar.finish();
    std::fprintf(stderr, "merganser-cli demo: %s\n", e.what());
    return kExitBadInput;
  }
  bar.finish();
  if (zoo == "text") {
    report.projectPath = textReport.projectPath;
    report.seconds = textReport.seconds;
  }
  std::printf("demo zoo written to %s in %.1f s\n\n", options.outFolder.c_str(), report.seconds);
  if (zoo == "text")
    printTextTraining(textReport);
  else
    printTraining(report);
  if (table) {
    std::printf("\n");
    return printMethodTable(options.outFolder, cancel);
  }
  if (args.flag("--no-run")) return kExitOk;

  const auto document = graph::loadProject(report.projectPath);
  engine::GraphExecutor executor;
  const auto summary = executor.run(document, {}, {}, cancel);
  printComparison(summary, document);
  if (!summary.ok()) {
    for (const auto& [id, status] : summary.nodes)
      if (status.state == engine::NodeState::Failed)
        std::fprintf(stderr, "node %llu '%s' failed: %s\n", static_cast<unsigned long long>(id),
                     document.at(id).title.c_str(), status.message.c_str());
    return kExitFailure;
  }
  // The zoo is new, so there are no earlier scores to keep: the workbench opens on these.
  const auto scoreFile = results::resultsFileFor(report.projectPath);
  results::writeResultsFile(scoreFile, results::collectRun(document, summary));
  std::printf("\nscores saved to %s\nopen it: merganser %s\n", scoreFile.c_str(), report.projectPath.c_str());
  return kExitOk;
}

} // namespace mg::cli
