#pragma once
// The Merge gain tab: a sink's labelled scatter plot (engine::ScatterValue; Merge gain: how similar two
// specialists are against what merging them costs), with the least-squares line and its correlation, so
// the question "do close tasks merge better?" is answered at a glance. Hover tells a point's values;
// clicking one selects the nodes behind it. Several plots in one run are picked from a list.
#include <QWidget>

#include <vector>

#include "editor/node_ids_metatype.h"
#include "engine/node_value.h"

class QComboBox;
class QLabel;
class QLineSeries;

namespace mg::ui {

class MapChartView;

class ScatterPlotView : public QWidget {
  Q_OBJECT
public:
  explicit ScatterPlotView(QWidget* parent = nullptr);

  void setScatters(std::vector<engine::ScatterValue> scatters); // the first is shown
  bool hasScatters() const { return !scatters_.empty(); }
  const engine::ScatterValue* current() const;
  MapChartView* chartView() const { return chart_; }
  QComboBox* picker() const { return picker_; }
  // The least-squares line drawn (null with fewer than two distinct x).
  QLineSeries* trendLine() const { return trend_; }
  // Pearson's r of the plot shown (NaN when undefined).
  double correlation() const;

  QString exportPng(const QString& path);
  QString exportSvg(const QString& path);
  QString exportCsv(const QString& path) const;

Q_SIGNALS:
  void nodesActivated(const std::vector<graph::NodeId>& nodes);

private:
  void showPlot(int index);

  std::vector<engine::ScatterValue> scatters_;
  int current_ = -1;
  QComboBox* picker_ = nullptr;
  QLabel* note_ = nullptr;
  MapChartView* chart_ = nullptr;
  QLineSeries* trend_ = nullptr;
};

} // namespace mg::ui
