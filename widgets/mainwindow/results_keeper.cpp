#include "mainwindow/results_keeper.h"

#include <filesystem>

#include "charts/compare_view.h"
#include "charts/results_panel.h"
#include "charts/run_scores.h"
#include "results/collect_run.h"
#include "results/results_file.h"
#include "results/results_file.h"
#include "graph/builtin_node_types.h"
#include "session/project_session.h"
#include "util/log.h"

namespace mg::ui {

ResultsKeeper::ResultsKeeper(ProjectSession* session, ResultsPanel* panel, QObject* parent)
    : QObject(parent), session_(session), panel_(panel) {}

void ResultsKeeper::clear() {
  panel_->clear();
}

QString ResultsKeeper::loadSaved(const QString& projectPath) {
  panel_->clear();
  if (projectPath.isEmpty()) return {};
  const std::string file = results::resultsFileFor(projectPath.toStdString());
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return {}; // never evaluated: nothing to show, nothing to say
  results::RunResults saved;
  try {
    saved = results::readResultsFile(file);
  } catch (const std::exception& error) {
    mg::log::get("ui")->warn("saved results not loaded: {}", error.what());
    return QString::fromStdString(error.what());
  }
  panel_->setResults(saved.scores);
  panel_->setMatrices(saved.matrices);
  panel_->setEmbeddings(saved.embeddings);
  panel_->setScatters(saved.scatters);
  if (!saved.empty()) Q_EMIT resultsShown();
  return {};
}

void ResultsKeeper::followCompareMode(const graph::Document& document, const engine::RunSummary& summary) {
  for (const auto id : summary.order) {
    const auto it = summary.nodes.find(id);
    if (it == summary.nodes.end() || it->second.results.empty() || !document.contains(id)) continue;
    const auto& node = document.at(id);
    if (node.type != graph::node_types::kCompare) continue;
    const auto mode = node.params.find("mode");
    if (mode == node.params.end()) return;
    panel_->compareView()->setMode(mode->second == "normalized" ? ScoreMode::Normalized
                                                                : ScoreMode::Absolute);
    return;
  }
}

QString ResultsKeeper::takeRun(const engine::RunSummary& summary) {
  const auto& document = session_->document();
  const auto fresh = results::collectRun(document, summary);
  const QString project = session_->filePath();
  const std::string file = project.isEmpty() ? std::string() : results::resultsFileFor(project.toStdString());
  const auto log = mg::log::get("ui");
  results::RunResults saved;
  std::error_code ec;
  if (!file.empty() && !fresh.empty() && std::filesystem::exists(file, ec)) {
    try {
      saved = results::readResultsFile(file);
    } catch (const std::exception& error) {
      log->warn("saved results replaced, they could not be read: {}", error.what());
    }
  }
  // The heatmaps, maps and plots shown are the saved ones with this run's replacing theirs, as reopening
  // the project would show them: running one node does not hide what the others made.
  const auto merged = results::mergeRuns(std::move(saved), fresh);
  if (!fresh.matrices.empty()) panel_->setMatrices(merged.matrices);
  if (!fresh.embeddings.empty()) panel_->setEmbeddings(merged.embeddings);
  if (!fresh.scatters.empty()) panel_->setScatters(merged.scatters);
  const auto shown = scoresToShow(document, summary);
  if (!shown.empty()) {
    panel_->setResults(shown);
    followCompareMode(document, summary);
  }
  if (!shown.empty() || !fresh.empty()) Q_EMIT resultsShown();

  if (file.empty() || fresh.empty()) return {};
  try {
    results::writeResultsFile(file, merged);
  } catch (const std::exception& error) {
    log->error("results not saved: {}", error.what());
    return QString::fromStdString(error.what());
  }
  log->info("results saved to {}", file);
  return {};
}

} // namespace mg::ui
