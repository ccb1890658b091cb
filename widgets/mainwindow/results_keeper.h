#pragma once
// Keeps the Results dock in step with the project: the results saved beside a project (scores, matrices,
// embedding maps, scatters: results/results_file.h) come back when it is opened (results::resultsFileFor:
// "demo.mgproj" -> "demo.scores.h5"), a finished run's results are shown and merged into that file (so
// reopening shows them without running), and a new project starts empty. A Compare node's mode parameter
// picks the chart's mode.
//
// The file is read and written on a worker thread, one job at a time in the order asked (a save never
// overtakes an older one, and a run's save reads what the previous one wrote); what they deliver is shown on
// the GUI thread unless a later open, new project or run has replaced it. Destroying the keeper waits for a
// pending write (writes are atomic: the file is never half-written).
#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>
#include <string>

#include "bridge/mailbox.h"
#include "engine/graph_executor.h"
#include "results/results_file.h"
#include "util/serial_worker.h"

namespace mg::ui {

class ProjectSession;
class ResultsPanel;

class ResultsKeeper : public QObject {
  Q_OBJECT
public:
  // How results files are looked at, read and written: results/results_file.h by default (tests wrap it to
  // see which thread does it). Called on the worker thread only.
  struct Disk {
    std::function<bool(const std::string& path)> exists;
    std::function<results::RunResults(const std::string& path)> read;
    std::function<void(const std::string& path, const results::RunResults& run)> write;
  };
  static Disk resultsFiles();

  ResultsKeeper(ProjectSession* session, ResultsPanel* panel, QObject* parent = nullptr,
                Disk disk = resultsFiles());
  ~ResultsKeeper() override; // waits for the reads and writes asked for

  // Clears the panel and shows the results saved beside `projectPath` once read (then loaded()). No file:
  // the panel stays empty, silently. A file that cannot be read: it stays empty and the log has one warning
  // line "path: problem".
  void loadSaved(const QString& projectPath);
  // Shows the run's scores, and merges its results into the file beside the project (when it has one); the
  // heatmaps, maps and plots shown are the merged ones, once read, as reopening would show them. Labels
  // come from the document that ran (summary.document), so a node deleted meanwhile keeps its results.
  void takeRun(const engine::RunSummary& summary);
  void clear();
  // Calls `then` on the GUI thread once the reads and writes asked for so far are done and what they read
  // is shown (a screenshot of the dock waits for it).
  void afterDisk(std::function<void()> then);

Q_SIGNALS:
  // The panel received scores (the dock may want to come forward).
  void resultsShown();
  // loadSaved() has read the file (or found none) and shown what it holds.
  void loaded();
  // A run's results were written beside the project, or not: `error` is "path: problem" (also logged).
  void runSaved(const QString& error);

private:
  // A Compare node's "mode" parameter (absolute, normalized) chooses how its lineup is first shown.
  void followCompareMode(const graph::Document& document, const engine::RunSummary& summary);
  // The fresh run's heatmaps, maps and plots (the kinds it made) as merged with the saved ones.
  void showMerged(const results::RunResults& fresh, const results::RunResults& merged);
  // Runs `job` on the worker thread after the jobs before it.
  void onDisk(std::function<void()> job);
  // Whether what was asked for as `request` is still what the panel should show.
  bool current(std::uint64_t request) const { return request == request_; }

  ProjectSession* session_;
  ResultsPanel* panel_;
  Disk disk_;
  // Counts the clears, opens and runs: a delivery for an earlier one is not shown.
  std::uint64_t request_ = 0;
  util::SerialWorker worker_{"results file"}; // jobs run in the order given
  Mailbox* toGui_;                            // what the jobs deliver, in the order they deliver it
};

} // namespace mg::ui
