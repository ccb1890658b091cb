#pragma once
// Compare: how each composed model does on each task. A grouped bar chart (one bar set per model, one group
// per task and a last group for the mean) beside a sortable table of the same numbers, in absolute accuracy
// or normalized by each task's specialist (see results_table.h for the rule, which the view states).
// Hovering a bar tells its value; clicking a bar or a table row asks for the model's node to be selected.
// The chart exports to PNG and SVG, the table to CSV.
#include <QWidget>

#include <vector>

#include "charts/results_table.h"

class QAbstractItemModel;
class QBarSeries;
class QBarSet;
class QButtonGroup;
class QChart;
class QChartView;
class QLabel;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;
class QToolButton;
class QValueAxis;
class QBarCategoryAxis;

namespace mg::ui {

class CompareView : public QWidget {
  Q_OBJECT
public:
  explicit CompareView(QWidget* parent = nullptr);

  void setResults(std::vector<eval::ModelScores> results);
  const ResultsTable& table() const { return table_; }
  ScoreMode mode() const { return mode_; }
  void setMode(ScoreMode mode);

  // Outlines the bars and selects the table rows of the models of `nodes` (the graph's selection).
  void highlightNodes(const std::vector<quint64>& nodes);

  // What hovering bar `category` (a task, or the mean after the last task) of row `row` shows.
  QString barText(int row, int category) const;
  QString lastHoverText() const { return hoverText_; }
  // The explanation above the chart (what the bars are, the specialist of each task when normalized).
  QString noteText() const;

  // Writers without dialogs (the export menu asks for the file first); the error, or empty when written.
  QString exportPng(const QString& path);
  QString exportSvg(const QString& path);
  QString exportCsv(const QString& path) const;

  QChart* chart() const { return chart_; }
  QString title() const { return title_; }
  QChartView* chartView() const { return chartView_; }
  QBarSeries* series() const { return series_; }
  QTableView* tableView() const { return tableView_; }
  QAbstractItemModel* tableModel() const; // the sortable one the view shows

Q_SIGNALS:
  // A bar or table row of a model with a known node was clicked.
  void nodeActivated(quint64 node);

protected:
  void changeEvent(QEvent* event) override;

private:
  void rebuild();
  void fillChart();
  void fillTable();
  void restyle();
  void activateRow(int row);

  ResultsTable table_;
  ScoreMode mode_ = ScoreMode::Absolute;
  std::vector<std::size_t> columns_; // the tasks the mode shows (ResultsTable::columns)
  QToolButton* perplexityMode_ = nullptr;
  std::vector<quint64> highlighted_;
  QString hoverText_;
  QString title_; // the title an exported picture carries

  QChart* chart_ = nullptr;
  QChartView* chartView_ = nullptr;
  QBarSeries* series_ = nullptr;
  QBarCategoryAxis* categories_ = nullptr;
  QValueAxis* values_ = nullptr;
  QStandardItemModel* items_ = nullptr;
  QSortFilterProxyModel* sorted_ = nullptr;
  QTableView* tableView_ = nullptr;
  QLabel* note_ = nullptr;
  QButtonGroup* modeButtons_ = nullptr;
  QToolButton* exportButton_ = nullptr;
};

} // namespace mg::ui
