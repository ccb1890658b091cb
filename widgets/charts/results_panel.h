#pragma once
// The Results dock's contents: Compare (bars and table of the models scored) and Sweep (curves over a
// parameter) in tabs, or a hint on how to get scores when there are none yet.
#include <QWidget>

#include <vector>

#include "eval/score_file.h"

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace mg::ui {

class CompareView;
class SweepView;

class ResultsPanel : public QWidget {
  Q_OBJECT
public:
  explicit ResultsPanel(QWidget* parent = nullptr);

  // Entries with a parameter go to the Sweep tab, the others to Compare; the tab that has data is shown.
  void setResults(const std::vector<eval::ModelScores>& results);
  void clear();
  bool hasResults() const { return !results_.empty(); }
  const std::vector<eval::ModelScores>& results() const { return results_; }

  CompareView* compareView() const { return compare_; }
  SweepView* sweepView() const { return sweep_; }
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
};

} // namespace mg::ui
