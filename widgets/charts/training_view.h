#pragma once
// The Training tab: each Fine-tune node's curve, live while it trains and kept after: the training loss per
// step (left axis) and the validation accuracy of each checkpoint (right axis, dashed), one colour per node,
// with the best checkpoint of each said below. The curves come as engine::ScatterValue kinds
// "training_loss" and "training_validation", titled with their node's title.
#include <QWidget>

#include <vector>

#include "engine/node_value.h"

class QChartView;
class QLabel;

namespace mg::ui {

class TrainingView : public QWidget {
  Q_OBJECT
public:
  explicit TrainingView(QWidget* parent = nullptr);

  // Keeps the training curves among `scatters` (the others are not its own); returns whether there were any.
  bool setCurves(const std::vector<engine::ScatterValue>& scatters);
  bool hasCurves() const { return !curves_.empty(); }

  QChartView* chartView() const { return chart_; }
  QLabel* summary() const { return summary_; }

private:
  void redraw();

  std::vector<engine::ScatterValue> curves_;
  QChartView* chart_ = nullptr;
  QLabel* summary_ = nullptr;
};

// Whether a scatter is a training curve (the Training tab's) rather than a plot of another tab.
bool isTrainingCurve(const engine::ScatterValue& scatter);

} // namespace mg::ui
