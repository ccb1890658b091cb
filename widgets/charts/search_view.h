#pragma once
// The Search tab: a Search node's progress, live while it runs and kept after: every candidate's mean
// validation accuracy against the evaluation it was (AdaMerging: the entropy per step), the best so far as
// a line, the table of candidates with their coefficients, and, once the search is done, its winner with
// its validation and test scores and a button that adds it to the graph as a merge node.
#include <QWidget>
#include <optional>
#include <vector>

#include "engine/node_value.h"

class QChartView;
class QLabel;
class QPushButton;
class QTableWidget;

namespace mg::ui {

class SearchView : public QWidget {
  Q_OBJECT
public:
  explicit SearchView(QWidget* parent = nullptr);

  // The candidates so far (ScatterValue kinds "search" / "search_entropy", MatrixValue kind "search").
  void setProgress(const std::vector<engine::ScatterValue>& scatters,
                   const std::vector<engine::MatrixValue>& matrices);
  // The finished search's winner (none: the search is still running or failed).
  void setWinner(std::optional<engine::SearchWinnerValue> winner);
  bool hasSearch() const { return hasData_; }

  QChartView* chartView() const { return chart_; }
  QTableWidget* table() const { return table_; }
  QPushButton* addButton() const { return add_; }
  QLabel* summary() const { return summary_; }

Q_SIGNALS:
  void addWinnerRequested(const mg::engine::SearchWinnerValue& winner);

private:
  QChartView* chart_ = nullptr;
  QTableWidget* table_ = nullptr;
  QLabel* summary_ = nullptr;
  QPushButton* add_ = nullptr;
  std::optional<engine::SearchWinnerValue> winner_;
  bool hasData_ = false;
};

} // namespace mg::ui
