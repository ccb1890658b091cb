#include "charts/results_panel.h"

#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include "charts/compare_view.h"
#include "charts/heatmap_view.h"
#include "charts/sweep_view.h"

namespace mg::ui {

ResultsPanel::ResultsPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("resultsPanel"));
  empty_ =
      new QLabel(tr("No scores yet. Connect a model and a Tasks source to an Evaluate node (several "
                    "Evaluate nodes to a Compare node, or a Sweep over a parameter) and run the project."),
                 this);
  empty_->setObjectName(QStringLiteral("resultsHint"));
  empty_->setWordWrap(true);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setForegroundRole(QPalette::PlaceholderText);
  empty_->setMargin(16);

  compare_ = new CompareView(this);
  sweep_ = new SweepView(this);
  tabs_ = new QTabWidget(this);
  tabs_->setDocumentMode(true);
  tabs_->addTab(compare_, tr("Compare"));
  tabs_->addTab(sweep_, tr("Sweep"));
  heatmap_ = new HeatmapView(this);
  tabs_->addTab(heatmap_, tr("Interference"));
  tabs_->setTabEnabled(2, false);
  connect(heatmap_, &HeatmapView::nodeActivated, this, &ResultsPanel::nodeActivated);
  connect(compare_, &CompareView::nodeActivated, this, &ResultsPanel::nodeActivated);
  connect(sweep_, &SweepView::nodeActivated, this, &ResultsPanel::nodeActivated);

  stack_ = new QStackedWidget(this);
  stack_->addWidget(empty_);
  stack_->addWidget(tabs_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(stack_);
}

void ResultsPanel::setResults(const std::vector<eval::ModelScores>& results) {
  results_ = results;
  std::vector<eval::ModelScores> compared;
  for (const auto& entry : results)
    if (entry.parameter.empty()) compared.push_back(entry);
  const bool hasCompare = !compared.empty();
  compare_->setResults(std::move(compared));
  const bool hasSweep = sweep_->setResults(results);
  // Disabling the current tab moves the current one: choose after enabling. Compare comes first when the
  // dock had nothing to show or the tab in front has nothing now; otherwise the user's tab stays.
  const bool wasShowing = stack_->currentWidget() == tabs_;
  tabs_->setTabEnabled(0, hasCompare);
  tabs_->setTabEnabled(1, hasSweep);
  const bool frontHasData = tabs_->currentWidget() == compare_ ? hasCompare
                            : tabs_->currentWidget() == sweep_ ? hasSweep
                                                               : heatmap_->hasMatrix();
  if (!wasShowing || !frontHasData)
    tabs_->setCurrentWidget(hasCompare || !hasSweep ? static_cast<QWidget*>(compare_) : sweep_);
  updateTabs();
}

void ResultsPanel::setMatrices(const std::vector<engine::MatrixValue>& matrices) {
  if (matrices.empty())
    heatmap_->clear();
  else
    heatmap_->setMatrix(matrices.front());
  tabs_->setTabEnabled(2, heatmap_->hasMatrix());
  if (heatmap_->hasMatrix() && !tabs_->isTabEnabled(tabs_->currentIndex())) tabs_->setCurrentWidget(heatmap_);
  updateTabs();
}

void ResultsPanel::updateTabs() {
  const bool any = tabs_->isTabEnabled(0) || tabs_->isTabEnabled(1) || heatmap_->hasMatrix();
  stack_->setCurrentWidget(any ? static_cast<QWidget*>(tabs_) : empty_);
}

void ResultsPanel::clear() {
  setMatrices({});
  setResults({});
}

} // namespace mg::ui
