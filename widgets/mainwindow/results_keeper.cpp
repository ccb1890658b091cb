#include "mainwindow/results_keeper.h"

#include <filesystem>

#include "charts/compare_view.h"
#include "charts/results_panel.h"
#include "charts/run_scores.h"
#include "engine/graph/run_results.h"
#include "eval/score_file.h"
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
  const std::string file = eval::scoreFileFor(projectPath.toStdString());
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return {}; // never evaluated: nothing to show, nothing to say
  try {
    panel_->setResults(eval::readScoreFile(file));
  } catch (const std::exception& error) {
    mg::log::get("ui")->warn("saved scores not loaded: {}", error.what());
    return QString::fromStdString(error.what());
  }
  if (panel_->hasResults()) Q_EMIT resultsShown();
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
  auto shown = scoresToShow(document, summary);
  std::vector<engine::MatrixValue> matrices;
  for (const auto id : summary.order)
    for (const auto& matrix : summary.nodes.at(id).matrices)
      matrices.push_back(matrix);
  if (!matrices.empty()) panel_->setMatrices(matrices);
  if (!shown.empty()) {
    panel_->setResults(shown);
    followCompareMode(document, summary);
    Q_EMIT resultsShown();
  }

  const QString project = session_->filePath();
  const auto fresh = engine::collectResults(document, summary);
  if (project.isEmpty() || fresh.empty()) return {};
  const std::string file = eval::scoreFileFor(project.toStdString());
  const auto log = mg::log::get("ui");
  std::vector<eval::ModelScores> saved;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    try {
      saved = eval::readScoreFile(file);
    } catch (const std::exception& error) {
      log->warn("saved scores replaced, they could not be read: {}", error.what());
    }
  }
  try {
    eval::writeScoreFile(file, eval::mergeScores(std::move(saved), fresh));
  } catch (const std::exception& error) {
    log->error("scores not saved: {}", error.what());
    return QString::fromStdString(error.what());
  }
  log->info("scores saved to {}", file);
  return {};
}

} // namespace mg::ui
