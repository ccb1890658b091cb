#include "charts/embedding_map_view.h"

#include "qt_text.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

#include "charts/chart_export.h"
#include "charts/heatmap_view.h"
#include "charts/map_chart_view.h"
#include "charts/results_table.h"
#include "editor/node_list_mime.h"
#include "graph/node_type_registry.h"

namespace mg::ui {

namespace {

QComboBox* picker(QWidget* parent, const QString& name, const QString& tip) {
  auto* box = new QComboBox(parent);
  box->setObjectName(name);
  box->setToolTip(tip);
  box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  return box;
}

// The merge most users want from a handful of related specialists; the menu offers the others.
constexpr const char* kDefaultMerge = "merge.task_arithmetic";

} // namespace

EmbeddingMapView::EmbeddingMapView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("embeddingMapView"));
  sourcePicker_ = picker(this, QStringLiteral("mapSourcePicker"), tr("Which Embedding map node"));
  kindPicker_ = picker(this, QStringLiteral("mapKindPicker"), tr("What embeds the tasks"));
  projectionPicker_ =
      picker(this, QStringLiteral("mapProjectionPicker"), tr("How the embeddings are drawn in 2-D"));
  colourPicker_ = picker(this, QStringLiteral("mapColourPicker"), tr("What the colours tell"));
  colourPicker_->addItem(tr("Colour by cluster"));
  colourPicker_->addItem(tr("Colour by skill"));

  mergeButton_ = new QToolButton(this);
  mergeButton_->setObjectName(QStringLiteral("mapMergeButton"));
  mergeButton_->setText(tr("Merge picked"));
  mergeButton_->setPopupMode(QToolButton::MenuButtonPopup);
  auto* methods = new QMenu(mergeButton_);
  for (const auto* type : graph::NodeTypeRegistry::instance().typesIn("Merge")) {
    const QString id = qs(type->id);
    methods->addAction(qs(type->title), this, [this, id] {
      const auto nodes = mergeableSelection();
      if (!nodes.empty()) Q_EMIT mergeRequested(id, nodes);
    });
  }
  mergeButton_->setMenu(methods);
  connect(mergeButton_, &QToolButton::clicked, this, [this] {
    const auto nodes = mergeableSelection();
    if (!nodes.empty()) Q_EMIT mergeRequested(QString::fromLatin1(kDefaultMerge), nodes);
  });

  auto* exportButton = makeViewExportButton(this, QStringLiteral("embedding-map"));
  exportButton->setObjectName(QStringLiteral("mapExport"));

  auto* top = new QHBoxLayout;
  top->setContentsMargins(0, 0, 0, 0);
  for (auto* box : {sourcePicker_, kindPicker_, projectionPicker_, colourPicker_})
    top->addWidget(box);
  top->addStretch(1);
  top->addWidget(mergeButton_);
  top->addWidget(exportButton);

  chart_ = new MapChartView(this);
  chart_->pointText = [this](int point) {
    const auto* value = currentMap();
    return value ? mapPointText(*value->map, point) : QString();
  };
  chart_->dragData = [this]() -> QMimeData* {
    const auto nodes = mergeableSelection();
    return nodes.empty() ? nullptr : encodeNodeList(nodes);
  };
  connect(chart_, &MapChartView::pointClicked, this, [this](int point) {
    const auto* value = currentMap();
    if (value && std::size_t(point) < value->nodes.size() && value->nodes[std::size_t(point)] != 0)
      Q_EMIT nodeActivated(value->nodes[std::size_t(point)]);
  });
  connect(chart_, &MapChartView::selectionChanged, this, [this] { updateMergeButton(); });
  similarity_ = new HeatmapView(this);
  similarity_->setObjectName(QStringLiteral("mapSimilarity"));
  connect(similarity_, &HeatmapView::nodeActivated, this, &EmbeddingMapView::nodeActivated);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->setChildrenCollapsible(false);
  split->addWidget(chart_);
  split->addWidget(similarity_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  split->setSizes({600, 400}); // the map first: it is what the tab is about

  note_ = new QLabel(this);
  note_->setWordWrap(true);
  note_->setForegroundRole(QPalette::PlaceholderText);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 4);
  layout->setSpacing(2);
  layout->addLayout(top);
  layout->addWidget(split, 1);
  layout->addWidget(note_);

  connect(sourcePicker_, &QComboBox::currentIndexChanged, this, [this] { fillKinds(); });
  connect(kindPicker_, &QComboBox::currentIndexChanged, this, [this] { fillProjections(); });
  connect(projectionPicker_, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
  connect(colourPicker_, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
  updateMergeButton();
}

void EmbeddingMapView::setMaps(std::vector<engine::EmbeddingsValue> maps) {
  maps.erase(std::remove_if(maps.begin(), maps.end(),
                            [](const auto& value) { return !value.map || value.map->size() == 0; }),
             maps.end());
  maps_ = std::move(maps);
  fillSources();
}

std::vector<int> EmbeddingMapView::mapsOfSource() const {
  std::vector<int> indices;
  const std::string source = sourcePicker_->currentText().toStdString();
  for (int i = 0; i < int(maps_.size()); ++i)
    if (maps_[std::size_t(i)].source == source) indices.push_back(i);
  return indices;
}

void EmbeddingMapView::fillSources() {
  {
    const QSignalBlocker block(sourcePicker_);
    sourcePicker_->clear();
    for (const auto& value : maps_)
      if (sourcePicker_->findText(qs(value.source)) < 0) sourcePicker_->addItem(qs(value.source));
    sourcePicker_->setVisible(sourcePicker_->count() > 1);
  }
  fillKinds();
}

void EmbeddingMapView::fillKinds() {
  {
    const QSignalBlocker block(kindPicker_);
    kindPicker_->clear();
    for (const int i : mapsOfSource())
      kindPicker_->addItem(kindTitle(maps_[std::size_t(i)].map->kind), i);
    kindPicker_->setEnabled(kindPicker_->count() > 1);
  }
  fillProjections();
}

const engine::EmbeddingsValue* EmbeddingMapView::currentMap() const {
  const QVariant index = kindPicker_->currentData();
  if (!index.isValid() || index.toInt() < 0 || std::size_t(index.toInt()) >= maps_.size()) return nullptr;
  return &maps_[std::size_t(index.toInt())];
}

std::string EmbeddingMapView::currentProjection() const {
  return projectionPicker_->currentData().toString().toStdString();
}

void EmbeddingMapView::fillProjections() {
  {
    const QSignalBlocker block(projectionPicker_);
    const std::string previous = currentProjection();
    projectionPicker_->clear();
    if (const auto* value = currentMap()) {
      for (const auto& [name, points] : value->map->coordinates)
        projectionPicker_->addItem(projectionTitle(name), qs(name));
      // Keep the user's projection across kinds; else the one the node asked for.
      int pick = projectionPicker_->findData(qs(previous));
      if (pick < 0) pick = projectionPicker_->findData(qs(embed::projectionName(value->map->projection)));
      projectionPicker_->setCurrentIndex(std::max(0, pick));
    }
  }
  redraw();
}

void EmbeddingMapView::redraw() {
  const auto* value = currentMap();
  if (!value) {
    chart_->setPoints({}, {}, {});
    similarity_->clear();
    note_->clear();
    updateMergeButton();
    return;
  }
  const auto& map = *value->map;
  const auto coordinates = map.coordinates.find(currentProjection());
  std::vector<QPointF> points;
  QStringList names;
  for (std::size_t i = 0; i < map.size(); ++i) {
    const auto p = coordinates != map.coordinates.end() && i < coordinates->second.size()
                       ? coordinates->second[i]
                       : embed::Point2{};
    points.emplace_back(p.x, p.y);
    names << qs(map.names[i]);
  }
  const auto colouring = colourPicker_->currentIndex() == 1 ? MapColouring::Skill : MapColouring::Cluster;
  chart_->setPoints(points, names, mapGroups(map, colouring));
  similarity_->setMatrix(similarityInClusterOrder(*value));
  const bool specialists = map.kind == embed::EmbeddingKind::Parameter;
  note_->setText(
      (specialists ? tr("Each point is a specialist's task vector. ") : tr("Each point is a task. ")) +
      tr("Close points are alike (%1 similarity). Hover a point for its nearest neighbours; click to select "
         "its "
         "node; Ctrl+click or drag a lasso to pick several")
          .arg(qs(map.metric)) +
      (specialists ? tr(", then Merge picked, or drag them onto a merge node in the graph.") : tr(".")));
  updateMergeButton();
}

std::vector<graph::NodeId> EmbeddingMapView::mergeableSelection() const {
  if (!mergeRefusal().isEmpty()) return {};
  const auto* value = currentMap();
  std::vector<graph::NodeId> nodes;
  for (const int point : chart_->selection()) {
    const auto node = value->nodes[std::size_t(point)];
    if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) nodes.push_back(node);
  }
  return nodes;
}

QString EmbeddingMapView::mergeRefusal() const {
  const auto* value = currentMap();
  if (!value) return tr("No map");
  if (value->map->kind != embed::EmbeddingKind::Parameter)
    return tr("The points are tasks here; pick specialists on the parameter map to merge them");
  std::set<graph::NodeId> nodes;
  for (const int point : chart_->selection()) {
    const auto node = std::size_t(point) < value->nodes.size() ? value->nodes[std::size_t(point)] : 0;
    if (node == 0) return tr("A picked point has no node in this graph (run the project again)");
    nodes.insert(node);
  }
  if (nodes.size() < 2) return tr("Pick two or more specialists (Ctrl+click or drag a lasso)");
  return {};
}

void EmbeddingMapView::updateMergeButton() {
  const QString refusal = mergeRefusal();
  mergeButton_->setEnabled(refusal.isEmpty());
  mergeButton_->setToolTip(refusal.isEmpty()
                               ? tr("A task arithmetic merge of the %n picked specialist(s); the "
                                    "arrow offers other methods",
                                    "", int(chart_->selection().size()))
                               : refusal);
}

QString EmbeddingMapView::exportPng(const QString& path) {
  return writeChartPng(
      chart_, sourcePicker_->currentText() + QStringLiteral(" — ") + kindPicker_->currentText(), path);
}

QString EmbeddingMapView::exportSvg(const QString& path) {
  return writeChartSvg(
      chart_, sourcePicker_->currentText() + QStringLiteral(" — ") + kindPicker_->currentText(), path);
}

QString EmbeddingMapView::exportCsv(const QString& path) const {
  const auto* value = currentMap();
  if (!value) return tr("no map to export");
  const auto& map = *value->map;
  const auto coordinates = map.coordinates.find(currentProjection());
  std::string csv = "name,x,y,cluster,skills,nearest\n";
  for (std::size_t i = 0; i < map.size(); ++i) {
    const auto p = coordinates != map.coordinates.end() ? coordinates->second[i] : embed::Point2{};
    std::string skills;
    for (const auto& skill : i < map.skills.size() ? map.skills[i] : std::vector<std::string>{})
      skills += (skills.empty() ? "" : "+") + skill;
    const int nearest = i < map.nearest.size() ? map.nearest[i] : -1;
    csv += csvField(map.names[i]) + ',' + QString::number(p.x, 'g', 8).toStdString() + ',' +
           QString::number(p.y, 'g', 8).toStdString() + ',' +
           std::to_string(i < map.clusters.size() ? map.clusters[i] + 1 : 0) + ',' + csvField(skills) + ',' +
           csvField(nearest >= 0 ? map.names[std::size_t(nearest)] : std::string()) + '\n';
  }
  return writeTextFile(path, QByteArray::fromStdString(csv));
}

void EmbeddingMapView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange) chart_->restyle();
  QWidget::changeEvent(event);
}

} // namespace mg::ui
