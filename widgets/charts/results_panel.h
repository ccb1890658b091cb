#pragma once
// The Results dock's contents: Compare (bars and table of the models scored), Sweep (curves over a
// parameter) and Interference (a heatmap of how far specialists move the base's features) in tabs, or a hint
// on how to get scores when there are none yet.
#include <QWidget>

#include <vector>

#include "engine/graph/node_value.h"
#include "eval/score_file.h"

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace mg::ui {

class CompareView;
class SweepView;
class HeatmapView;

class ResultsPanel : public QWidget {
  Q_OBJECT
public:
  explicit ResultsPanel(QWidget* parent = nullptr);

  // Entries with a parameter go to the Sweep tab, the others to Compare; the tab that has data is shown.
  void setResults(const std::vector<eval::ModelScores>& results);
  // The Interference tab shows the first matrix (none: the tab is disabled).
  void setMatrices(const std::vector<engine::MatrixValue>& matrices);
  void clear();
  bool hasResults() const { return !results_.empty(); }
  const std::vector<eval::ModelScores>& results() const { return results_; }

  CompareView* compareView() const { return compare_; }
  SweepView* sweepView() const { return sweep_; }
  HeatmapView* heatmapView() const { return heatmap_; }
  QTabWidget* tabs() const { return tabs_; }

Q_SIGNALS:
  // A bar, point or table row of a model with a known node was clicked.
  void nodeActivated(quint64 node);

private:
  std::vector<eval::ModelScores> results_;
  QStackedWidget* stack_ = nullptr;
  QLabel* empty_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  CompareView* compare_ = nullptr;
  SweepView* sweep_ = nullptr;
  HeatmapView* heatmap_ = nullptr;

  void updateTabs();
};

} // namespace mg::ui
