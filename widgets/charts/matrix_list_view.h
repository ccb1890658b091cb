#pragma once
// Several heatmaps of one kind in one tab (the Routing tab holds a confusion per Router node): a picker
// above a HeatmapView, hidden when there is only one.
#include <QWidget>

#include <vector>

#include "engine/node_value.h"

class QComboBox;

namespace mg::ui {

class HeatmapView;

class MatrixListView : public QWidget {
  Q_OBJECT
public:
  explicit MatrixListView(QWidget* parent = nullptr);

  void setMatrices(std::vector<engine::MatrixValue> matrices); // the first is shown
  bool hasMatrices() const { return !matrices_.empty(); }
  const std::vector<engine::MatrixValue>& matrices() const { return matrices_; }
  QComboBox* picker() const { return picker_; }
  HeatmapView* heatmap() const { return heatmap_; }

Q_SIGNALS:
  void nodeActivated(quint64 node);

private:
  std::vector<engine::MatrixValue> matrices_;
  QComboBox* picker_ = nullptr;
  HeatmapView* heatmap_ = nullptr;
};

} // namespace mg::ui
