#pragma once
// A labelled matrix drawn as a heatmap (QtCharts has none): rows and columns named, each cell coloured from
// the smallest to the largest value and printed, the note saying how to read it underneath. Used for the
// Interference node's matrix (specialists x tasks); clicking a row names the node behind it.
#include <QWidget>

#include <optional>

#include "engine/node_value.h"

class QLabel;

namespace mg::ui {

class HeatmapCanvas;

class HeatmapView : public QWidget {
  Q_OBJECT
public:
  explicit HeatmapView(QWidget* parent = nullptr);

  void setMatrix(const engine::MatrixValue& matrix);
  void clear();
  bool hasMatrix() const { return !matrix_.rows.empty(); }
  const engine::MatrixValue& matrix() const { return matrix_; }

  // The (row, column) under a point of the canvas, for tests and tooltips.
  std::optional<std::pair<int, int>> cellAt(const QPoint& canvasPoint) const;
  QWidget* canvas() const;

Q_SIGNALS:
  void nodeActivated(quint64 node);

private:
  engine::MatrixValue matrix_;
  QLabel* title_ = nullptr;
  QLabel* note_ = nullptr;
  HeatmapCanvas* canvas_ = nullptr;
};

} // namespace mg::ui
