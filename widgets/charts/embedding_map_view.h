#pragma once
// The Map tab: task embeddings drawn in 2-D (the Embedding map node's output). The points are the node's
// specialists (parameter embeddings) or its tasks (Fisher, data), coloured by cluster or by skill, with
// pickers that switch the embedding kind and the projection without running anything (the node computed
// every kind its inputs allow, and every projection). Beside the map, the similarity matrix in clustering
// order. Picked specialists (click, Ctrl+click, lasso) become a merge: "Merge picked" makes a new merge
// node fed by them, or dragging them onto a merge node in the graph adds them to it.
#include <QWidget>

#include <vector>

#include "charts/map_points.h"
#include "editor/node_ids_metatype.h"
#include "engine/node_value.h"

class QComboBox;
class QLabel;
class QToolButton;

namespace mg::ui {

class HeatmapView;
class MapChartView;

class EmbeddingMapView : public QWidget {
  Q_OBJECT
public:
  explicit EmbeddingMapView(QWidget* parent = nullptr);

  // Maps of one or more Embedding map nodes (grouped by EmbeddingsValue::source, one per kind); the first
  // of the first node is shown.
  void setMaps(std::vector<engine::EmbeddingsValue> maps);
  bool hasMaps() const { return !maps_.empty(); }
  // The map shown, or null.
  const engine::EmbeddingsValue* currentMap() const;
  std::string currentProjection() const;

  // Pickers: which node's map, which kind, which projection, colour by cluster or skill.
  QComboBox* sourcePicker() const { return sourcePicker_; }
  QComboBox* kindPicker() const { return kindPicker_; }
  QComboBox* projectionPicker() const { return projectionPicker_; }
  QComboBox* colourPicker() const { return colourPicker_; }
  QToolButton* mergeButton() const { return mergeButton_; }
  MapChartView* chartView() const { return chart_; }
  HeatmapView* similarityView() const { return similarity_; }

  // The distinct graph nodes behind the picked points, when they can be merged (parameter embeddings of
  // two or more specialists); empty otherwise.
  std::vector<graph::NodeId> mergeableSelection() const;
  // Why the picked points cannot be merged (for the button's tooltip), empty when they can.
  QString mergeRefusal() const;

  QString exportPng(const QString& path);
  QString exportSvg(const QString& path);
  QString exportCsv(const QString& path) const;

Q_SIGNALS:
  void nodeActivated(quint64 node);
  // "Merge picked": a node of `typeId` fed by `nodes`.
  void mergeRequested(const QString& typeId, const std::vector<graph::NodeId>& nodes);

protected:
  void changeEvent(QEvent* event) override;

private:
  void fillSources();
  void fillKinds();
  void fillProjections();
  void redraw();
  void updateMergeButton();
  std::vector<int> mapsOfSource() const; // indices into maps_ of the picked source, in node order

  std::vector<engine::EmbeddingsValue> maps_;
  QComboBox* sourcePicker_ = nullptr;
  QComboBox* kindPicker_ = nullptr;
  QComboBox* projectionPicker_ = nullptr;
  QComboBox* colourPicker_ = nullptr;
  QToolButton* mergeButton_ = nullptr;
  QLabel* note_ = nullptr;
  MapChartView* chart_ = nullptr;
  HeatmapView* similarity_ = nullptr;
};

} // namespace mg::ui
