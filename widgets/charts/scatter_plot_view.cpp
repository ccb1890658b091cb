#include "charts/scatter_plot_view.h"

#include "readable_numbers.h"
#include "i18n/core_text.h"

#include "qt_text.h"

#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

#include "charts/chart_export.h"
#include "charts/map_chart_view.h"
#include "charts/results_table.h"
#include "util/line_fit.h"

namespace mg::ui {

namespace {

// The least-squares line of a plot's points.
util::LineFit fitOf(const std::vector<engine::ScatterPoint>& points) {
  std::vector<double> x, y;
  for (const auto& p : points) {
    x.push_back(p.x);
    y.push_back(p.y);
  }
  return util::fitLine(x, y);
}

} // namespace

ScatterPlotView::ScatterPlotView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("scatterPlotView"));
  picker_ = new QComboBox(this);
  picker_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  picker_->setVisible(false);
  connect(picker_, &QComboBox::currentIndexChanged, this, [this](int index) { showPlot(index); });
  auto* exportButton = makeViewExportButton(this, QStringLiteral("merge-gain"));
  exportButton->setObjectName(QStringLiteral("scatterExport"));
  auto* top = new QHBoxLayout;
  top->setContentsMargins(0, 0, 0, 0);
  top->addWidget(picker_);
  top->addStretch(1);
  top->addWidget(exportButton);

  chart_ = new MapChartView(this);
  chart_->setObjectName(QStringLiteral("scatterChart"));
  chart_->pointText = [this](int i) {
    const auto* plot = current();
    if (!plot || i < 0 || std::size_t(i) >= plot->points.size()) return QString();
    const auto& p = plot->points[std::size_t(i)];
    return QStringLiteral("%1\n%2: %3\n%4: %5")
        .arg(qs(p.label), coreText(plot->xLabel))
        .arg(decimalText(p.x, 3), coreText(plot->yLabel), decimalText(p.y, 2));
  };
  connect(chart_, &MapChartView::pointClicked, this, [this](int i) {
    const auto* plot = current();
    if (!plot || std::size_t(i) >= plot->points.size()) return;
    std::vector<graph::NodeId> nodes;
    for (const auto node : plot->points[std::size_t(i)].nodes)
      if (node != 0) nodes.push_back(node);
    if (!nodes.empty()) Q_EMIT nodesActivated(nodes);
  });
  note_ = new QLabel(this);
  note_->setWordWrap(true);
  note_->setForegroundRole(QPalette::PlaceholderText);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 4);
  layout->setSpacing(2);
  layout->addLayout(top);
  layout->addWidget(chart_, 1);
  layout->addWidget(note_);
}

const engine::ScatterValue* ScatterPlotView::current() const {
  return current_ >= 0 && std::size_t(current_) < scatters_.size() ? &scatters_[std::size_t(current_)]
                                                                   : nullptr;
}

void ScatterPlotView::setScatters(std::vector<engine::ScatterValue> scatters) {
  scatters_ = std::move(scatters);
  {
    const QSignalBlocker block(picker_);
    picker_->clear();
    for (const auto& plot : scatters_)
      picker_->addItem(coreText(plot.title));
    picker_->setVisible(scatters_.size() > 1);
  }
  showPlot(scatters_.empty() ? -1 : 0);
}

double ScatterPlotView::correlation() const {
  const auto* plot = current();
  return plot ? fitOf(plot->points).r.value_or(std::numeric_limits<double>::quiet_NaN())
              : std::numeric_limits<double>::quiet_NaN();
}

void ScatterPlotView::showPlot(int index) {
  current_ = index;
  trend_ = nullptr;
  const auto* plot = current();
  if (!plot) {
    chart_->setPoints({}, {}, {});
    chart_->setAxisTitles({}, {});
    note_->clear();
    return;
  }
  std::vector<QPointF> points;
  QStringList names;
  MapGroups groups;
  groups.names << coreText(plot->title);
  for (const auto& p : plot->points) {
    points.emplace_back(p.x, p.y);
    names << qs(p.label);
    groups.groupOf.push_back(0);
  }
  chart_->setAxisTitles(coreText(plot->xLabel),
                        coreText(plot->yLabel)); // first: the axes' numbers shape the range
  chart_->setPoints(points, names, groups);
  const util::LineFit fit = fitOf(plot->points);
  if (fit.hasLine) {
    trend_ = new QLineSeries;
    trend_->setName(fit.r ? tr("least-squares line, r = %1").arg(decimalText(*fit.r, 2))
                          : tr("least-squares line"));
    const double x0 = chart_->xAxis()->min(), x1 = chart_->xAxis()->max();
    trend_->append(x0, fit.slope * x0 + fit.intercept);
    trend_->append(x1, fit.slope * x1 + fit.intercept);
    QPen pen(palette().color(QPalette::PlaceholderText), 1.5, Qt::DashLine);
    trend_->setPen(pen);
    chart_->chart()->addSeries(trend_);
    trend_->attachAxis(chart_->xAxis());
    trend_->attachAxis(chart_->yAxis());
    // The line may reach beyond the points' vertical range: keep it inside the plot.
    chart_->yAxis()->setRange(
        std::min(chart_->yAxis()->min(), std::min(trend_->at(0).y(), trend_->at(1).y())),
        std::max(chart_->yAxis()->max(), std::max(trend_->at(0).y(), trend_->at(1).y())));
  }
  chart_->chart()->legend()->setVisible(true);
  QString note = qs(plot->note).trimmed();
  if (note.endsWith(QLatin1Char('.'))) note.chop(1);
  note_->setText(note + tr(". Click a point to select its nodes."));
}

QString ScatterPlotView::exportPng(const QString& path) {
  return writeChartPng(chart_, picker_->currentText(), path);
}

QString ScatterPlotView::exportSvg(const QString& path) {
  return writeChartSvg(chart_, picker_->currentText(), path);
}

QString ScatterPlotView::exportCsv(const QString& path) const {
  const auto* plot = current();
  if (!plot) return tr("no plot to export");
  std::string csv = "point," + csvField(plot->xLabel) + ',' + csvField(plot->yLabel) + '\n';
  for (const auto& p : plot->points)
    csv += csvField(p.label) + ',' + QString::number(p.x, 'g', 8).toStdString() + ',' +
           QString::number(p.y, 'g', 8).toStdString() + '\n';
  return writeTextFile(path, QByteArray::fromStdString(csv));
}

} // namespace mg::ui
