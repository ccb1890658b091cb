#include "charts/sweep_view.h"

#include "readable_numbers.h"

#include "qt_text.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "charts/chart_export.h"
#include "charts/chart_style.h"
#include "charts/chart_table_layout.h"
#include "theme/theme.h"

namespace mg::ui {

namespace {

constexpr int kSortRole = Qt::UserRole;

QString parameterName(const SweepCurves& sweep) {
  return sweep.parameter.empty() ? QObject::tr("parameter") : qs(sweep.parameter);
}

} // namespace

SweepView::SweepView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("sweepView"));
  picker_ = new QComboBox(this);
  picker_->setObjectName(QStringLiteral("sweepPicker"));
  picker_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  connect(picker_, &QComboBox::currentIndexChanged, this, [this](int index) { setCurrentSweep(index); });
  note_ = new QLabel(this);
  note_->setForegroundRole(QPalette::PlaceholderText);
  note_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  auto* exportButton = makeViewExportButton(this, QStringLiteral("sweep"));
  exportButton->setObjectName(QStringLiteral("sweepExport"));
  auto* top = new QHBoxLayout;
  top->setContentsMargins(0, 0, 0, 0);
  top->addWidget(picker_);
  top->addSpacing(8);
  top->addWidget(note_, 1);
  top->addWidget(exportButton);

  chart_ = new QChart;
  chart_->setAnimationOptions(QChart::NoAnimation);
  chart_->setMargins(QMargins(4, 4, 4, 4));
  chart_->legend()->setAlignment(Qt::AlignRight);
  xAxis_ = new QValueAxis;
  yAxis_ = new QValueAxis;
  yAxis_->setRange(0, 100);
  yAxis_->setTickCount(6);
  yAxis_->setLabelFormat(percentAxisFormat(0));
  yAxis_->setTitleText(tr("accuracy"));
  chart_->addAxis(xAxis_, Qt::AlignBottom);
  chart_->addAxis(yAxis_, Qt::AlignLeft);
  chartView_ = new QChartView(chart_, this);
  chartView_->setObjectName(QStringLiteral("sweepChart"));
  chartView_->setRenderHint(QPainter::Antialiasing);
  chartView_->setMinimumSize(320, 200);

  items_ = new QStandardItemModel(this);
  sorted_ = new QSortFilterProxyModel(this);
  sorted_->setSourceModel(items_);
  sorted_->setSortRole(kSortRole);
  tableView_ = makeResultsTable(sorted_, QStringLiteral("sweepTable"), this);

  auto* split = chartBesideTable(chartView_, tableView_, this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 4);
  layout->setSpacing(2);
  layout->addLayout(top);
  layout->addWidget(split, 1);
  rebuild();
}

QAbstractItemModel* SweepView::tableModel() const {
  return sorted_;
}

bool SweepView::setResults(const std::vector<eval::ModelScores>& results) {
  sweeps_ = gatherSweeps(results);
  const QSignalBlocker block(picker_);
  picker_->clear();
  for (const auto& sweep : sweeps_)
    picker_->addItem(qs(sweep.title()));
  picker_->setVisible(sweeps_.size() > 1);
  current_ = sweeps_.empty() ? -1 : 0;
  picker_->setCurrentIndex(current_);
  rebuild();
  return !sweeps_.empty();
}

void SweepView::setCurrentSweep(int index) {
  if (index < 0 || index >= int(sweeps_.size()) || index == current_) return;
  current_ = index;
  const QSignalBlocker block(picker_);
  picker_->setCurrentIndex(index);
  rebuild();
}

void SweepView::rebuild() {
  chart_->removeAllSeries(); // deletes them
  lines_.clear();
  items_->clear();
  if (current_ < 0) {
    note_->setText(tr("No sweep"));
    xAxis_->setTitleText(QString());
    restyle();
    return;
  }
  const auto& sweep = sweeps_[std::size_t(current_)];
  const QString parameter = parameterName(sweep);

  auto addLine = [this](const QString& name, const std::vector<std::optional<double>>& values,
                        const SweepCurves& s) {
    auto* line = new QLineSeries;
    line->setName(name);
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (values[i]) line->append(s.x[i], 100.0 * *values[i]);
    line->setPointsVisible(true);
    chart_->addSeries(line);
    line->attachAxis(xAxis_);
    line->attachAxis(yAxis_);
    const int index = int(lines_.size());
    connect(line, &QLineSeries::hovered, this, [this, index](const QPointF& point, bool on) {
      if (!on) {
        QToolTip::hideText();
        return;
      }
      hoverText_ = pointText(index, point.x());
      QToolTip::showText(QCursor::pos(), hoverText_, chartView_);
    });
    connect(line, &QLineSeries::clicked, this, [this](const QPointF& point) {
      const int i = nearestPoint(point.x());
      if (i < 0) return;
      const auto& s = sweeps_[std::size_t(current_)];
      const quint64 node = s.modelNodes[std::size_t(i)] ? s.modelNodes[std::size_t(i)] : s.sweepNode;
      if (node != 0) Q_EMIT nodeActivated(node);
    });
    lines_.append(line);
  };
  for (std::size_t t = 0; t < sweep.tasks.size(); ++t)
    addLine(qs(sweep.tasks[t]), sweep.values[t], sweep);
  addLine(tr("mean"), sweep.mean, sweep);

  const double low = sweep.x.empty() ? 0.0 : sweep.x.front();
  const double high = sweep.x.empty() ? 1.0 : sweep.x.back();
  const double pad = high > low ? 0.0 : 0.5; // a single point still gets an axis around it
  xAxis_->setRange(low - pad, high + pad);
  xAxis_->setTickCount(std::clamp(int(sweep.x.size()), 2, 11));
  xAxis_->setLabelFormat(QStringLiteral("%.2g"));
  xAxis_->setTitleText(parameter);
  title_ = tr("Accuracy over %1").arg(parameter);

  // The table: one line per point.
  QStringList headers{parameter, tr("Mean")};
  for (const auto& task : sweep.tasks)
    headers << qs(task);
  items_->setHorizontalHeaderLabels(headers);
  for (std::size_t i = 0; i < sweep.x.size(); ++i) {
    QList<QStandardItem*> line;
    auto* x = new QStandardItem(readableNumber(sweep.x[i], 6));
    x->setData(sweep.x[i], kSortRole);
    line << x;
    auto cell = [](std::optional<double> value) {
      auto* item = new QStandardItem(value ? percentText(*value) : QStringLiteral("—"));
      item->setData(value ? *value : -1.0, kSortRole);
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      return item;
    };
    auto* mean = cell(sweep.mean[i]);
    QFont bold = mean->font();
    bold.setBold(true);
    mean->setFont(bold);
    line << mean;
    for (const auto& values : sweep.values)
      line << cell(values[i]);
    items_->appendRow(line);
  }
  tableView_->resizeColumnsToContents();

  // The best mean, which is what a sweep is usually run to find.
  int best = -1;
  for (std::size_t i = 0; i < sweep.mean.size(); ++i)
    if (sweep.mean[i] && (best < 0 || *sweep.mean[i] > *sweep.mean[std::size_t(best)])) best = int(i);
  note_->setText(best < 0 ? tr("%n point(s)", nullptr, int(sweep.x.size()))
                          : tr("%n point(s); best mean %1 at %2 = %3", nullptr, int(sweep.x.size()))
                                .arg(percentText(*sweep.mean[std::size_t(best)]), parameter,
                                     readableNumber(sweep.x[std::size_t(best)], 4)));
  restyle();
}

void SweepView::restyle() {
  const QPalette& p = palette();
  const bool dark = isDark(p);
  styleChart(chart_, p);
  for (int i = 0; i < lines_.size(); ++i) {
    const bool mean = i == lines_.size() - 1;
    QPen pen(mean ? p.color(QPalette::Active, QPalette::Text) : seriesColor(i, dark));
    pen.setWidthF(mean ? 3.5 : 1.8);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    lines_[i]->setPen(pen);
    lines_[i]->setColor(pen.color());
    lines_[i]->setMarkerSize(mean ? 8 : 6);
  }
}

int SweepView::nearestPoint(double x) const {
  if (current_ < 0) return -1;
  const auto& xs = sweeps_[std::size_t(current_)].x;
  int best = -1;
  for (std::size_t i = 0; i < xs.size(); ++i)
    if (best < 0 || std::abs(xs[i] - x) < std::abs(xs[std::size_t(best)] - x)) best = int(i);
  return best;
}

QString SweepView::pointText(int series, double x) const {
  const int i = nearestPoint(x);
  if (i < 0 || series < 0) return {};
  const auto& sweep = sweeps_[std::size_t(current_)];
  const auto point = std::size_t(i);
  const bool isMean = series == int(sweep.tasks.size());
  if (series > int(sweep.tasks.size())) return {};
  const QString name = isMean ? tr("mean") : qs(sweep.tasks[std::size_t(series)]);
  const auto value = isMean ? sweep.mean[point] : sweep.values[std::size_t(series)][point];
  return QStringLiteral("%1 · %2 = %3: %4")
      .arg(name, parameterName(sweep), readableNumber(sweep.x[point], 4),
           value ? percentText(*value) : tr("not scored"));
}

QString SweepView::exportPng(const QString& path) {
  return writeChartPng(chartView_, title_, path);
}

QString SweepView::exportSvg(const QString& path) {
  return writeChartSvg(chartView_, title_, path);
}

QString SweepView::exportCsv(const QString& path) const {
  if (current_ < 0) return tr("%1: there is no sweep to export").arg(path);
  return writeTextFile(path, QByteArray::fromStdString(sweepCsvText(sweeps_[std::size_t(current_)])));
}

void SweepView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) restyle();
}

} // namespace mg::ui
