#include "charts/search_view.h"

#include "readable_numbers.h"
#include "i18n/core_text.h"

#include "qt_text.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

#include "charts/chart_style.h"

namespace mg::ui {

SearchView::SearchView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("searchView"));
  chart_ = new QChartView(this);
  chart_->setObjectName(QStringLiteral("searchChart"));
  chart_->setRenderHint(QPainter::Antialiasing);
  chart_->setMinimumHeight(160);
  table_ = new QTableWidget(this);
  table_->setObjectName(QStringLiteral("searchTable"));
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("searchSummary"));
  summary_->setWordWrap(true);
  add_ = new QPushButton(tr("Add the winner to the graph"), this);
  add_->setObjectName(QStringLiteral("searchAddWinner"));
  add_->setEnabled(false);
  add_->setToolTip(
      tr("A merge node beside the searched one, with the winning coefficients, ready to evaluate "
         "or export"));
  connect(add_, &QPushButton::clicked, this, [this] {
    if (winner_) Q_EMIT addWinnerRequested(*winner_);
  });
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(summary_, 1);
  bottom->addWidget(add_);
  auto* splitter = new QSplitter(Qt::Horizontal, this);
  splitter->addWidget(chart_);
  splitter->addWidget(table_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 4);
  layout->addWidget(splitter, 1);
  layout->addLayout(bottom);
  setProgress({}, {});
}

void SearchView::setProgress(const std::vector<engine::ScatterValue>& scatters,
                             const std::vector<engine::MatrixValue>& matrices) {
  const engine::ScatterValue* trace = nullptr;
  for (const auto& scatter : scatters)
    if (scatter.kind == "search" || scatter.kind == "search_entropy") trace = &scatter;
  const engine::MatrixValue* candidates = nullptr;
  for (const auto& matrix : matrices)
    if (matrix.kind == "search") candidates = &matrix;
  hasData_ = trace != nullptr;

  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignBottom);
  if (trace) {
    // Accuracy rises, entropy falls: the best so far is the running maximum or minimum.
    const bool lowerIsBetter = trace->kind == "search_entropy";
    chart->setTitle(coreText(trace->title));
    auto* points = new QScatterSeries;
    points->setName(lowerIsBetter ? tr("step") : tr("candidate"));
    points->setMarkerSize(7);
    auto* best = new QLineSeries;
    best->setName(lowerIsBetter ? tr("entropy") : tr("best so far"));
    double running = 0, low = 0, high = 0;
    for (std::size_t i = 0; i < trace->points.size(); ++i) {
      const auto& p = trace->points[i];
      running = i == 0 ? p.y : lowerIsBetter ? std::min(running, p.y) : std::max(running, p.y);
      low = i == 0 ? p.y : std::min(low, p.y);
      high = i == 0 ? p.y : std::max(high, p.y);
      if (!lowerIsBetter) points->append(p.x, p.y);
      best->append(p.x, lowerIsBetter ? p.y : running);
    }
    if (!lowerIsBetter)
      chart->addSeries(points);
    else
      delete points;
    chart->addSeries(best);
    auto* x = new QValueAxis;
    x->setTitleText(coreText(trace->xLabel));
    x->setLabelFormat(QStringLiteral("%d"));
    x->setRange(0, std::max<double>(1, double(trace->points.size())) + 0.5);
    auto* y = new QValueAxis;
    y->setTitleText(coreText(trace->yLabel));
    y->setLabelFormat(QStringLiteral("%.1f"));
    const double pad = high > low ? (high - low) * 0.1 : 0.5;
    y->setRange(lowerIsBetter ? std::max(0.0, low - pad) : low - pad, high + pad);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (auto* series : chart->series()) {
      series->attachAxis(x);
      series->attachAxis(y);
    }
  } else {
    chart->setTitle(tr("Run a Search node to see its candidates here"));
  }
  styleChart(chart, palette());
  auto* old = chart_->chart();
  chart_->setChart(chart);
  delete old;

  table_->clear();
  table_->setRowCount(0);
  if (candidates) {
    QStringList headers{tr("candidate")};
    for (const auto& column : candidates->columns)
      headers << qs(column);
    table_->setColumnCount(int(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
    table_->setRowCount(int(candidates->rows.size()));
    for (std::size_t r = 0; r < candidates->rows.size(); ++r) {
      table_->setItem(int(r), 0, new QTableWidgetItem(qs(candidates->rows[r])));
      for (std::size_t c = 0; c < candidates->values[r].size(); ++c) {
        const double v = candidates->values[r][c];
        auto* item = new QTableWidgetItem(decimalText(v, c + 1 == candidates->values[r].size() ? 1 : 3));
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(int(r), int(c) + 1, item);
      }
    }
    table_->scrollToBottom();
  }
  table_->setVisible(candidates != nullptr);
}

void SearchView::setWinner(std::optional<engine::SearchWinnerValue> winner) {
  winner_ = std::move(winner);
  add_->setEnabled(winner_.has_value());
  if (!winner_) {
    summary_->setText(hasData_ ? tr("Searching…") : QString());
    return;
  }
  QStringList weights;
  for (const double w : winner_->weights)
    weights << readableNumber(w, 3);
  summary_->setText(
      tr("Winner: weights %1 — validation %2, test %3 (test examples scored once, for the "
         "winner only)")
          .arg(weights.join(listSeparator()), percentText(winner_->validation), percentText(winner_->test)));
}

} // namespace mg::ui
