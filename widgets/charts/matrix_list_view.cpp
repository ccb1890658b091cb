#include "charts/matrix_list_view.h"

#include <QComboBox>
#include <QVBoxLayout>

#include "charts/heatmap_view.h"
#include "i18n/core_text.h"

namespace mg::ui {

MatrixListView::MatrixListView(QWidget* parent) : QWidget(parent) {
  picker_ = new QComboBox(this);
  picker_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  picker_->setVisible(false);
  heatmap_ = new HeatmapView(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(picker_, 0, Qt::AlignLeft);
  layout->addWidget(heatmap_, 1);
  connect(picker_, &QComboBox::currentIndexChanged, this, [this](int index) {
    if (index >= 0 && std::size_t(index) < matrices_.size())
      heatmap_->setMatrix(matrices_[std::size_t(index)]);
  });
  connect(heatmap_, &HeatmapView::nodeActivated, this, &MatrixListView::nodeActivated);
}

void MatrixListView::setMatrices(std::vector<engine::MatrixValue> matrices) {
  matrices_ = std::move(matrices);
  const QSignalBlocker block(picker_);
  picker_->clear();
  for (const auto& matrix : matrices_)
    picker_->addItem(coreText(matrix.title));
  picker_->setVisible(matrices_.size() > 1);
  if (matrices_.empty())
    heatmap_->clear();
  else
    heatmap_->setMatrix(matrices_.front());
}

} // namespace mg::ui
