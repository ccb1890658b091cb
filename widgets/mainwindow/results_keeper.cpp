#include "mainwindow/results_keeper.h"

#include <filesystem>
#include <optional>

#include "charts/compare_view.h"
#include "charts/results_panel.h"
#include "charts/run_scores.h"
#include "graph/builtin_node_types.h"
#include "io/stale_temporaries.h"
#include "results/collect_run.h"
#include "session/project_session.h"
#include "util/log.h"

namespace mg::ui {

ResultsKeeper::Disk ResultsKeeper::resultsFiles() {
  return {[](const std::string& path) {
            std::error_code ec;
            return std::filesystem::exists(path, ec);
          },
          results::readResultsFile, results::writeResultsFile};
}

ResultsKeeper::ResultsKeeper(ProjectSession* session, ResultsPanel* panel, QObject* parent, Disk disk)
    : QObject(parent), session_(session), panel_(panel), disk_(std::move(disk)), toGui_(new Mailbox(this)) {}

ResultsKeeper::~ResultsKeeper() {
  // worker_ (destroyed before the members its jobs use) finishes a write under way or waiting; what the
  // jobs deliver is dropped with the mailbox.
}

void ResultsKeeper::onDisk(std::function<void()> job) {
  worker_.post(std::move(job));
}

void ResultsKeeper::afterDisk(std::function<void()> then) {
  // Queued behind the deliveries of the jobs before it, which the worker posted first.
  onDisk([this, then = std::move(then)] { toGui_->post(then); });
}

void ResultsKeeper::clear() {
  ++request_;
  panel_->clear();
}

void ResultsKeeper::loadSaved(const QString& projectPath) {
  clear();
  if (projectPath.isEmpty()) return;
  const std::uint64_t request = request_;
  const std::string file = results::resultsFileFor(projectPath.toStdString());
  onDisk([this, request, file] {
    io::removeStaleTemporaries(file); // what a save killed mid-write left beside the results file
    std::optional<results::RunResults> saved;
    try {
      if (disk_.exists(file)) saved = disk_.read(file); // no file: never evaluated, nothing to say
    } catch (const std::exception& error) {
      mg::log::get("ui")->warn("saved results not loaded: {}", error.what());
    }
    toGui_->post([this, request, saved] {
      if (!current(request)) return;
      if (saved) {
        panel_->setResults(saved->scores);
        panel_->setMatrices(saved->matrices);
        panel_->setEmbeddings(saved->embeddings);
        panel_->setScatters(saved->scatters);
        if (!saved->empty()) Q_EMIT resultsShown();
      }
      Q_EMIT loaded();
    });
  });
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

void ResultsKeeper::showMerged(const results::RunResults& fresh, const results::RunResults& merged) {
  // The saved heatmaps, maps and plots with this run's replacing theirs, as reopening the project would show
  // them: running one node does not hide what the others made.
  if (!fresh.matrices.empty()) panel_->setMatrices(merged.matrices);
  if (!fresh.embeddings.empty()) panel_->setEmbeddings(merged.embeddings);
  if (!fresh.scatters.empty()) panel_->setScatters(merged.scatters);
}

void ResultsKeeper::takeRun(const engine::RunSummary& summary) {
  // The document that ran; a summary made without it (not by the EngineBridge) is read against the session's.
  const graph::Document& document = summary.document ? *summary.document : session_->document();
  auto fresh = results::collectRun(document, summary);
  const auto shown = scoresToShow(document, summary);
  if (shown.empty() && fresh.empty()) return;
  const std::uint64_t request = ++request_;
  if (!shown.empty()) {
    panel_->setResults(shown);
    followCompareMode(document, summary);
  }
  Q_EMIT resultsShown();

  const QString project = session_->filePath();
  if (project.isEmpty() || fresh.empty()) {
    showMerged(fresh, fresh); // nothing saved to merge with
    return;
  }
  const std::string file = results::resultsFileFor(project.toStdString());
  onDisk([this, request, file, fresh = std::move(fresh)] {
    const auto log = mg::log::get("ui");
    results::RunResults saved;
    try {
      if (disk_.exists(file)) saved = disk_.read(file);
    } catch (const std::exception& error) {
      log->warn("saved results replaced, they could not be read: {}", error.what());
    }
    const auto merged = results::mergeRuns(std::move(saved), fresh);
    std::string failure;
    try {
      disk_.write(file, merged);
      log->info("results saved to {}", file);
    } catch (const std::exception& error) {
      failure = error.what();
      log->error("results not saved: {}", failure);
    }
    toGui_->post([this, request, fresh, merged, failure] {
      if (current(request)) showMerged(fresh, merged);
      Q_EMIT runSaved(QString::fromStdString(failure));
    });
  });
}

} // namespace mg::ui
