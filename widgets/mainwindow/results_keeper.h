#pragma once
// Keeps the Results dock in step with the project: the results saved beside a project (scores, matrices,
// embedding maps, scatters: engine/run_file.h) come back when it is opened (results::resultsFileFor:
// "demo.mgproj" -> "demo.scores.h5"), a finished run's results are shown and merged into that file (so
// reopening shows them without running), and a new project starts empty. A Compare node's mode parameter
// picks the chart's mode.
#include <QObject>
#include <QString>

#include "engine/graph_executor.h"

namespace mg::ui {

class ProjectSession;
class ResultsPanel;

class ResultsKeeper : public QObject {
  Q_OBJECT
public:
  ResultsKeeper(ProjectSession* session, ResultsPanel* panel, QObject* parent = nullptr);

  // Shows the results saved beside `projectPath`. No file: an empty panel, silently. A file that cannot be
  // read: an empty panel and a one-line warning in the log. Returns that warning (empty otherwise).
  QString loadSaved(const QString& projectPath);
  // Shows the run's results and saves them beside the project (when it has a file). Returns the save error.
  QString takeRun(const engine::RunSummary& summary);
  void clear();

Q_SIGNALS:
  // The panel received scores (the dock may want to come forward).
  void resultsShown();

private:
  // A Compare node's "mode" parameter (absolute, normalized) chooses how its lineup is first shown.
  void followCompareMode(const graph::Document& document, const engine::RunSummary& summary);

  ProjectSession* session_;
  ResultsPanel* panel_;
};

} // namespace mg::ui
