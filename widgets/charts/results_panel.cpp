#include "charts/results_panel.h"

#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include "charts/compare_view.h"
#include "charts/embedding_map_view.h"
#include "charts/matrix_list_view.h"
#include "charts/scatter_plot_view.h"
#include "charts/search_view.h"
#include "charts/sweep_view.h"
#include "charts/training_view.h"

namespace mg::ui {

ResultsPanel::ResultsPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("resultsPanel"));
  empty_ = new QLabel(
      tr("No results yet. Connect a model and a Tasks source to an Evaluate node (several "
         "Evaluate nodes to a Compare node, or a Sweep over a parameter), or add an Embedding map, "
         "a Router, a Merge gain or a Fine-tune node, and run the project."),
      this);
  empty_->setObjectName(QStringLiteral("resultsHint"));
  empty_->setWordWrap(true);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setForegroundRole(QPalette::PlaceholderText);
  empty_->setMargin(16);

  compare_ = new CompareView(this);
  sweep_ = new SweepView(this);
  interference_ = new MatrixListView(this);
  interference_->setObjectName(QStringLiteral("interferenceView"));
  routing_ = new MatrixListView(this);
  routing_->setObjectName(QStringLiteral("routingView"));
  map_ = new EmbeddingMapView(this);
  mergeGain_ = new ScatterPlotView(this);
  search_ = new SearchView(this);
  training_ = new TrainingView(this);
  tabs_ = new QTabWidget(this);
  tabs_->setDocumentMode(true);
  tabs_->addTab(compare_, tr("Compare"));
  tabs_->addTab(sweep_, tr("Sweep"));
  tabs_->addTab(interference_, tr("Interference"));
  tabs_->addTab(routing_, tr("Routing"));
  tabs_->addTab(map_, tr("Map"));
  tabs_->addTab(mergeGain_, tr("Merge gain"));
  tabs_->addTab(search_, tr("Search"));
  tabs_->addTab(training_, tr("Training"));
  for (int i = 0; i < tabs_->count(); ++i)
    tabs_->setTabEnabled(i, false);
  connect(interference_, &MatrixListView::nodeActivated, this, &ResultsPanel::nodeActivated);
  connect(routing_, &MatrixListView::nodeActivated, this, &ResultsPanel::nodeActivated);
  connect(compare_, &CompareView::nodeActivated, this, &ResultsPanel::nodeActivated);
  connect(sweep_, &SweepView::nodeActivated, this, &ResultsPanel::nodeActivated);
  connect(map_, &EmbeddingMapView::nodeActivated, this, &ResultsPanel::nodeActivated);
  connect(map_, &EmbeddingMapView::mergeRequested, this, &ResultsPanel::mergeRequested);
  connect(mergeGain_, &ScatterPlotView::nodesActivated, this, &ResultsPanel::nodesActivated);

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
  tabs_->setTabEnabled(tabs_->indexOf(compare_), hasCompare);
  tabs_->setTabEnabled(tabs_->indexOf(sweep_), hasSweep);
  const QWidget* front = tabs_->currentWidget();
  const bool frontHasData = front == compare_ ? hasCompare
                            : front == sweep_ ? hasSweep
                                              : tabs_->isTabEnabled(tabs_->currentIndex());
  if ((!wasShowing || !frontHasData) && (hasCompare || hasSweep))
    tabs_->setCurrentWidget(hasCompare ? static_cast<QWidget*>(compare_) : sweep_);
  updateTabs();
}

void ResultsPanel::showTabIf(QWidget* view, bool hasData) {
  tabs_->setTabEnabled(tabs_->indexOf(view), hasData);
  if (hasData && !tabs_->isTabEnabled(tabs_->currentIndex())) tabs_->setCurrentWidget(view);
  updateTabs();
}

void ResultsPanel::setMatrices(const std::vector<engine::MatrixValue>& matrices) {
  std::vector<engine::MatrixValue> interference, routing;
  searchMatrices_.clear();
  for (const auto& matrix : matrices)
    (matrix.kind == "search"    ? searchMatrices_
     : matrix.kind == "routing" ? routing
                                : interference)
        .push_back(matrix);
  interference_->setMatrices(std::move(interference));
  routing_->setMatrices(std::move(routing));
  showTabIf(interference_, interference_->hasMatrices());
  showTabIf(routing_, routing_->hasMatrices());
}

void ResultsPanel::setEmbeddings(const std::vector<engine::EmbeddingsValue>& embeddings) {
  map_->setMaps(embeddings);
  showTabIf(map_, map_->hasMaps());
}

void ResultsPanel::setScatters(const std::vector<engine::ScatterValue>& scatters) {
  std::vector<engine::ScatterValue> gains, searches;
  for (const auto& scatter : scatters) {
    if (isTrainingCurve(scatter)) continue; // the Training tab's
    (scatter.kind.rfind("search", 0) == 0 ? searches : gains).push_back(scatter);
  }
  mergeGain_->setScatters(std::move(gains));
  showTabIf(mergeGain_, mergeGain_->hasScatters());
  search_->setProgress(searches, searchMatrices_);
  showTabIf(search_, search_->hasSearch());
  showTabIf(training_, training_->setCurves(scatters));
}

void ResultsPanel::showPartialResults(const std::vector<engine::ScatterValue>& scatters,
                                      const std::vector<engine::MatrixValue>& matrices) {
  if (training_->setCurves(scatters)) {
    showTabIf(training_, true);
    tabs_->setCurrentWidget(training_);
    return;
  }
  search_->setProgress(scatters, matrices);
  search_->setWinner(std::nullopt);
  showTabIf(search_, search_->hasSearch());
  if (search_->hasSearch()) tabs_->setCurrentWidget(search_);
}

void ResultsPanel::updateTabs() {
  bool any = false;
  for (int i = 0; i < tabs_->count(); ++i)
    any = any || tabs_->isTabEnabled(i);
  stack_->setCurrentWidget(any ? static_cast<QWidget*>(tabs_) : empty_);
}

void ResultsPanel::clear() {
  setMatrices({});
  setEmbeddings({});
  setScatters({});
  setResults({});
}

} // namespace mg::ui
