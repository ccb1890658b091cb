#pragma once
// The Results dock's contents, in tabs: Compare (bars and table of the models scored), Sweep (curves over a
// parameter), Interference (how far specialists move the base's features), Routing (each Router's
// confusion), Map (task embeddings in 2-D beside their similarity matrix) and Merge gain (similarity of
// two specialists against what merging them costs), Search (a coefficient search's candidates and winner),
// Training (each Fine-tune node's loss and validation curve);
// or a hint on how to get results when there are none.
// A tab with nothing to show is disabled.
#include <QWidget>

#include <vector>

#include "editor/node_ids_metatype.h"
#include "engine/node_value.h"
#include "eval/model_scores.h"

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace mg::ui {

class CompareView;
class SweepView;
class MatrixListView;
class EmbeddingMapView;
class ScatterPlotView;
class SearchView;
class TrainingView;

class ResultsPanel : public QWidget {
  Q_OBJECT
public:
  explicit ResultsPanel(QWidget* parent = nullptr);

  // Entries with a parameter go to the Sweep tab, the others to Compare; the tab that has data is shown.
  void setResults(const std::vector<eval::ModelScores>& results);
  // Routing matrices go to the Routing tab, the others (interference) to the Interference tab.
  void setMatrices(const std::vector<engine::MatrixValue>& matrices);
  void setEmbeddings(const std::vector<engine::EmbeddingsValue>& embeddings);
  void setScatters(const std::vector<engine::ScatterValue>& scatters);
  void clear();
  bool hasResults() const { return !results_.empty(); }
  const std::vector<eval::ModelScores>& results() const { return results_; }

  CompareView* compareView() const { return compare_; }
  SweepView* sweepView() const { return sweep_; }
  MatrixListView* interferenceView() const { return interference_; }
  MatrixListView* routingView() const { return routing_; }
  EmbeddingMapView* mapView() const { return map_; }
  ScatterPlotView* mergeGainView() const { return mergeGain_; }
  SearchView* searchView() const { return search_; }
  TrainingView* trainingView() const { return training_; }
  // A running node's partial charts (its status's): a Fine-tune node's curve in the Training tab, a Search
  // node's candidates in the Search tab.
  void showPartialResults(const std::vector<engine::ScatterValue>& scatters,
                          const std::vector<engine::MatrixValue>& matrices);
  QTabWidget* tabs() const { return tabs_; }

Q_SIGNALS:
  // A bar, point or table row of a model with a known node was clicked.
  void nodeActivated(quint64 node);
  // A point standing for several nodes (a pair of specialists) was clicked.
  void nodesActivated(const std::vector<graph::NodeId>& nodes);
  // The map's "Merge picked": a node of `typeId` fed by `nodes`.
  void mergeRequested(const QString& typeId, const std::vector<graph::NodeId>& nodes);

private:
  // Enables `view`'s tab when it has data; brings it forward when the tab in front has nothing.
  void showTabIf(QWidget* view, bool hasData);
  void updateTabs();

  std::vector<eval::ModelScores> results_;
  QStackedWidget* stack_ = nullptr;
  QLabel* empty_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  CompareView* compare_ = nullptr;
  SweepView* sweep_ = nullptr;
  MatrixListView* interference_ = nullptr;
  MatrixListView* routing_ = nullptr;
  EmbeddingMapView* map_ = nullptr;
  ScatterPlotView* mergeGain_ = nullptr;
  SearchView* search_ = nullptr;
  TrainingView* training_ = nullptr;
  std::vector<engine::MatrixValue> searchMatrices_; // the last run's candidate table, for its trace
};

} // namespace mg::ui
