#include "charts/compare_view.h"

#include "readable_numbers.h"

#include "qt_text.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "charts/chart_export.h"
#include "charts/chart_style.h"
#include "charts/chart_table_layout.h"
#include "theme/theme.h"

namespace mg::ui {

namespace {

constexpr int kSortRole = Qt::UserRole;    // the number a column sorts by (names for the model column)
constexpr int kRowRole = Qt::UserRole + 1; // the table_ row of a table line

QString formatted(double value, ScoreMode mode) {
  if (mode == ScoreMode::Perplexity) return decimalText(value, 2);
  return mode == ScoreMode::Absolute ? percentText(value) : decimalText(value, 3);
}

} // namespace

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("compareView"));

  // Top row: the mode switch and the export menu.
  auto* absolute = new QToolButton(this);
  absolute->setText(tr("Absolute"));
  absolute->setToolTip(tr("Accuracy on each task"));
  absolute->setObjectName(QStringLiteral("absoluteMode"));
  auto* normalized = new QToolButton(this);
  normalized->setText(tr("Normalized"));
  normalized->setToolTip(tr("Accuracy divided by the accuracy of the task's specialist"));
  normalized->setObjectName(QStringLiteral("normalizedMode"));
  perplexityMode_ = new QToolButton(this);
  perplexityMode_->setText(tr("Perplexity"));
  perplexityMode_->setToolTip(tr("A language model's perplexity on each perplexity task (lower is better)"));
  perplexityMode_->setObjectName(QStringLiteral("perplexityMode"));
  modeButtons_ = new QButtonGroup(this);
  for (auto* button : {absolute, normalized, perplexityMode_}) {
    button->setCheckable(true);
    button->setAutoRaise(true);
  }
  absolute->setChecked(true);
  modeButtons_->addButton(absolute, int(ScoreMode::Absolute));
  modeButtons_->addButton(normalized, int(ScoreMode::Normalized));
  modeButtons_->addButton(perplexityMode_, int(ScoreMode::Perplexity));
  connect(modeButtons_, &QButtonGroup::idClicked, this, [this](int id) { setMode(ScoreMode(id)); });

  exportButton_ = makeViewExportButton(this, QStringLiteral("compare"));
  exportButton_->setObjectName(QStringLiteral("compareExport"));

  note_ = new QLabel(this);
  note_->setObjectName(QStringLiteral("compareNote"));
  note_->setWordWrap(true);
  note_->setTextFormat(Qt::PlainText);
  note_->setForegroundRole(QPalette::PlaceholderText);
  note_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

  auto* top = new QHBoxLayout;
  top->setContentsMargins(0, 0, 0, 0);
  top->addWidget(absolute);
  top->addWidget(normalized);
  top->addWidget(perplexityMode_);
  top->addSpacing(8);
  top->addWidget(note_, 1);
  top->addWidget(exportButton_);

  // The chart.
  chart_ = new QChart;
  chart_->setAnimationOptions(QChart::NoAnimation); // values change with the mode; no bouncing bars
  chart_->setMargins(QMargins(4, 4, 4, 4));
  chart_->legend()->setAlignment(Qt::AlignRight);
  chart_->legend()->setShowToolTips(true);
  chart_->legend()->setVisible(false); // the table's colour swatches are the legend; exports show one
  series_ = new QBarSeries;
  chart_->addSeries(series_);
  categories_ = new QBarCategoryAxis;
  values_ = new QValueAxis;
  chart_->addAxis(categories_, Qt::AlignBottom);
  chart_->addAxis(values_, Qt::AlignLeft);
  series_->attachAxis(categories_);
  series_->attachAxis(values_);
  chartView_ = new QChartView(chart_, this);
  chartView_->setObjectName(QStringLiteral("compareChart"));
  chartView_->setRenderHint(QPainter::Antialiasing);
  chartView_->setMinimumSize(320, 200);
  connect(series_, &QBarSeries::hovered, this, [this](bool on, int index, QBarSet* set) {
    if (!on) {
      QToolTip::hideText();
      return;
    }
    hoverText_ = barText(int(series_->barSets().indexOf(set)), index);
    QToolTip::showText(QCursor::pos(), hoverText_, chartView_);
  });
  connect(series_, &QBarSeries::clicked, this,
          [this](int, QBarSet* set) { activateRow(int(series_->barSets().indexOf(set))); });

  // The table.
  items_ = new QStandardItemModel(this);
  sorted_ = new QSortFilterProxyModel(this);
  sorted_->setSourceModel(items_);
  sorted_->setSortRole(kSortRole);
  tableView_ = makeResultsTable(sorted_, QStringLiteral("compareTable"), this);
  tableView_->setWordWrap(false);
  connect(tableView_, &QTableView::clicked, this,
          [this](const QModelIndex& index) { activateRow(index.data(kRowRole).toInt()); });

  auto* split = chartBesideTable(chartView_, tableView_, this);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 4);
  layout->setSpacing(2);
  layout->addLayout(top);
  layout->addWidget(split, 1);
  rebuild();
}

QAbstractItemModel* CompareView::tableModel() const {
  return sorted_;
}

void CompareView::setResults(std::vector<eval::ModelScores> results) {
  table_ = buildResultsTable(std::move(results));
  rebuild();
}

void CompareView::setMode(ScoreMode mode) {
  if (auto* button = modeButtons_->button(int(mode))) button->setChecked(true);
  if (mode_ == mode) return;
  mode_ = mode;
  rebuild();
}

void CompareView::rebuild() {
  // Perplexity is offered when some model was scored on a perplexity task (language models).
  const bool anyPerplexity = !table_.columns(ScoreMode::Perplexity).empty();
  perplexityMode_->setVisible(anyPerplexity);
  if (!anyPerplexity && mode_ == ScoreMode::Perplexity) {
    mode_ = ScoreMode::Absolute;
    if (auto* button = modeButtons_->button(int(mode_))) button->setChecked(true);
  }
  columns_ = table_.columns(mode_);
  fillChart();
  fillTable();
  note_->setText(noteText());
  note_->setToolTip(noteText());
  restyle();
}

void CompareView::fillChart() {
  series_->clear();
  QStringList groups;
  for (const auto t : columns_)
    groups << qs(table_.tasks[t]);
  groups << tr("mean");
  categories_->clear();
  categories_->append(groups);

  const bool absolute = mode_ == ScoreMode::Absolute;
  for (std::size_t r = 0; r < table_.rows.size(); ++r) {
    auto* set = new QBarSet(qs(table_.names[r]));
    for (const auto t : columns_) {
      const auto value = table_.value(r, t, mode_);
      set->append(value ? (absolute ? 100.0 * *value : *value) : 0.0);
    }
    const auto mean = table_.mean(r, mode_);
    set->append(mean ? (absolute ? 100.0 * *mean : *mean) : 0.0);
    series_->append(set);
  }
  series_->setBarWidth(table_.rows.size() > 1 ? 0.85 : 0.5);

  if (mode_ == ScoreMode::Perplexity) {
    const double top = std::max(1.0, std::ceil(table_.maxValue(mode_) * 1.05));
    values_->setRange(0, top);
    values_->setTickType(QValueAxis::TicksFixed);
    values_->setTickCount(6);
    values_->setLabelFormat(QStringLiteral("%.1f"));
    values_->setTitleText(tr("perplexity (lower is better)"));
    title_ = tr("Per-task perplexity");
  } else if (absolute) {
    values_->setRange(0, 100);
    values_->setTickType(QValueAxis::TicksFixed);
    values_->setTickCount(6);
    values_->setLabelFormat(percentAxisFormat(0));
    values_->setTitleText(tr("accuracy"));
    title_ = tr("Per-task accuracy");
  } else {
    const double top = std::max(1.0, std::ceil(table_.maxValue(mode_) * 10.0 - 1e-9) / 10.0);
    values_->setRange(0, top);
    values_->setTickType(QValueAxis::TicksDynamic);
    values_->setTickAnchor(0);
    values_->setTickInterval(top > 1.4 ? 0.5 : 0.2);
    values_->setLabelFormat(QStringLiteral("%.1f"));
    values_->setTitleText(tr("accuracy ÷ specialist"));
    title_ = tr("Normalized accuracy");
  }
}

void CompareView::fillTable() {
  items_->clear();
  // Model, Mean, then the tasks: the mean stays in sight however many tasks there are.
  QStringList headers{tr("Model"), tr("Mean")};
  for (const auto t : columns_)
    headers << qs(table_.tasks[t]);
  items_->setHorizontalHeaderLabels(headers);
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const auto& specialist = table_.specialists[columns_[c]];
    if (specialist.row && mode_ != ScoreMode::Perplexity)
      items_->horizontalHeaderItem(int(c) + 2)
          ->setToolTip(tr("Specialist: %1").arg(qs(table_.names[*specialist.row])));
  }
  const bool dark = isDark(palette());
  for (std::size_t r = 0; r < table_.rows.size(); ++r) {
    QList<QStandardItem*> line;
    auto* name = new QStandardItem(qs(table_.names[r]));
    name->setData(seriesColor(int(r), dark), Qt::DecorationRole);
    name->setData(qs(table_.names[r]).toLower(), kSortRole);
    name->setToolTip(qs(table_.rows[r].model));
    line << name;
    auto cell = [&](std::optional<double> value) {
      auto* item = new QStandardItem(value ? formatted(*value, mode_) : QStringLiteral("—"));
      item->setData(value ? *value : -1.0, kSortRole);
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      return item;
    };
    auto* mean = cell(table_.mean(r, mode_));
    QFont bold = mean->font();
    bold.setBold(true);
    mean->setFont(bold);
    line << mean;
    // A task's specialist (the reference of the normalized mode) in italics.
    for (const auto t : columns_) {
      auto* item = cell(table_.value(r, t, mode_));
      if (table_.specialists[t].row == r && mode_ != ScoreMode::Perplexity) {
        QFont italic = item->font();
        italic.setItalic(true);
        item->setFont(italic);
        item->setToolTip(
            tr("Specialist of %1: the reference of the normalized scores").arg(qs(table_.tasks[t])));
      }
      line << item;
    }
    for (auto* item : line)
      item->setData(int(r), kRowRole);
    items_->appendRow(line);
  }
  tableView_->resizeColumnsToContents();
  highlightNodes(highlighted_);
}

void CompareView::restyle() {
  const QPalette& p = palette();
  const bool dark = isDark(p);
  styleChart(chart_, p);
  const auto sets = series_->barSets();
  for (int i = 0; i < sets.size(); ++i) {
    sets[i]->setColor(seriesColor(i, dark));
    sets[i]->setBorderColor(seriesColor(i, dark));
  }
  for (int r = 0; r < items_->rowCount(); ++r)
    items_->item(r, 0)->setData(seriesColor(items_->item(r, 0)->data(kRowRole).toInt(), dark),
                                Qt::DecorationRole);
  highlightNodes(highlighted_);
}

void CompareView::highlightNodes(const std::vector<quint64>& nodes) {
  highlighted_ = nodes;
  const auto sets = series_->barSets();
  const QColor outline = palette().color(QPalette::Active, QPalette::Text);
  const bool dark = isDark(palette());
  QItemSelection rows;
  for (int i = 0; i < sets.size() && i < int(table_.rows.size()); ++i) {
    const auto node = table_.rows[std::size_t(i)].modelNode;
    const bool on = node != 0 && std::find(nodes.begin(), nodes.end(), node) != nodes.end();
    QPen pen(on ? outline : seriesColor(i, dark));
    pen.setWidthF(on ? 2.0 : 0.0);
    sets[i]->setPen(pen);
    if (on) {
      const QModelIndex first = sorted_->mapFromSource(items_->index(i, 0));
      rows.select(first, first.siblingAtColumn(sorted_->columnCount() - 1));
    }
  }
  if (tableView_->selectionModel())
    tableView_->selectionModel()->select(rows, QItemSelectionModel::ClearAndSelect);
}

QString CompareView::barText(int row, int category) const {
  if (row < 0 || row >= int(table_.rows.size()) || category < 0 || category > int(columns_.size())) return {};
  const auto r = std::size_t(row);
  const bool isMean = category == int(columns_.size());
  const std::size_t t = isMean ? 0 : columns_[std::size_t(category)];
  const QString task = isMean ? tr("mean") : qs(table_.tasks[t]);
  const auto value = isMean ? table_.mean(r, mode_) : table_.value(r, t, mode_);
  const QString head = QStringLiteral("%1 · %2: ").arg(qs(table_.names[r]), task);
  if (!value) return head + tr("not scored");
  if (mode_ == ScoreMode::Absolute) return head + percentText(*value);
  if (mode_ == ScoreMode::Perplexity) return head + tr("perplexity %1").arg(formatted(*value, mode_));
  QString text = head + tr("%1 of the specialist").arg(decimalText(*value, 3));
  if (!isMean) {
    const auto specialist = *table_.specialists[t].row;
    text += QStringLiteral(" (%1 ÷ %2 of %3)")
                .arg(percentText(*table_.accuracy[r][t]), percentText(*table_.accuracy[specialist][t]),
                     qs(table_.names[specialist]));
  }
  return text;
}

QString CompareView::noteText() const {
  if (table_.empty()) return tr("No scores");
  if (mode_ == ScoreMode::Absolute)
    return tr("%n model(s) on %1 task(s); mean = average over the tasks a model was scored on.", nullptr,
              int(table_.rows.size()))
        .arg(columns_.size());
  if (mode_ == ScoreMode::Perplexity)
    return tr("Perplexity: exp of the mean negative log-likelihood per token of each task's texts; lower is "
              "better. %n model(s) on %1 task(s).",
              nullptr, int(table_.rows.size()))
        .arg(columns_.size());
  QStringList named, best;
  for (const auto t : columns_) {
    const auto& specialist = table_.specialists[t];
    const QString pair = QStringLiteral("%1 → %2").arg(
        qs(table_.tasks[t]), specialist.row ? qs(table_.names[*specialist.row]) : tr("none"));
    (specialist.rule == SpecialistRule::Named ? named : best) << pair;
  }
  QString text = tr("Accuracy ÷ the task's specialist: the model named after the task, else the best model "
                    "shown on it.");
  if (!named.isEmpty()) text += QLatin1Char(' ') + tr("Named: %1.").arg(named.join(QStringLiteral(", ")));
  if (!best.isEmpty()) text += QLatin1Char(' ') + tr("Best shown: %1.").arg(best.join(QStringLiteral(", ")));
  return text;
}

void CompareView::activateRow(int row) {
  if (row < 0 || row >= int(table_.rows.size())) return;
  const auto node = table_.rows[std::size_t(row)].modelNode;
  if (node != 0) Q_EMIT nodeActivated(node);
}

QString CompareView::exportPng(const QString& path) {
  return writeChartPng(chartView_, title_, path);
}

QString CompareView::exportSvg(const QString& path) {
  return writeChartSvg(chartView_, title_, path);
}

QString CompareView::exportCsv(const QString& path) const {
  return writeTextFile(path, QByteArray::fromStdString(csvText(table_, mode_)));
}

void CompareView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) restyle();
}

} // namespace mg::ui
