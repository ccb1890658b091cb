#pragma once
// Sweep: how accuracy moves as one parameter of a node (λ, density, t) varies. One line per task and a bold
// mean line over the parameter's value, hover values, and the numbers in a sortable table; several sweeps
// in one run are picked from a list. Exports like Compare: chart to PNG/SVG, table to CSV.
#include <QWidget>

#include <vector>

#include "charts/sweep_curves.h"

class QAbstractItemModel;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;
class QValueAxis;
class QXYSeries;

namespace mg::ui {

class SweepView : public QWidget {
  Q_OBJECT
public:
  explicit SweepView(QWidget* parent = nullptr);

  // Keeps the sweep points of `results` (entries with a parameter); false when there are none.
  bool setResults(const std::vector<eval::ModelScores>& results);
  const std::vector<SweepCurves>& sweeps() const { return sweeps_; }
  int currentSweep() const { return current_; }
  void setCurrentSweep(int index);

  // One series per task, then the mean (the last), of the sweep shown.
  QList<QLineSeries*> lineSeries() const { return lines_; }
  // What hovering series `series` near parameter value `x` shows.
  QString pointText(int series, double x) const;
  QString lastHoverText() const { return hoverText_; }

  QString exportPng(const QString& path);
  QString exportSvg(const QString& path);
  QString exportCsv(const QString& path) const;

  QChart* chart() const { return chart_; }
  QString title() const { return title_; }
  QChartView* chartView() const { return chartView_; }
  QTableView* tableView() const { return tableView_; }
  QAbstractItemModel* tableModel() const;

Q_SIGNALS:
  void nodeActivated(quint64 node);

protected:
  void changeEvent(QEvent* event) override;

private:
  void rebuild();
  void restyle();
  // The point of the sweep shown closest to `x`.
  int nearestPoint(double x) const;

  std::vector<SweepCurves> sweeps_;
  int current_ = -1;
  QString hoverText_;
  QString title_; // the title an exported picture carries
  QList<QLineSeries*> lines_;

  QComboBox* picker_ = nullptr;
  QLabel* note_ = nullptr;
  QChart* chart_ = nullptr;
  QChartView* chartView_ = nullptr;
  QValueAxis* xAxis_ = nullptr;
  QValueAxis* yAxis_ = nullptr;
  QStandardItemModel* items_ = nullptr;
  QSortFilterProxyModel* sorted_ = nullptr;
  QTableView* tableView_ = nullptr;
};

} // namespace mg::ui
