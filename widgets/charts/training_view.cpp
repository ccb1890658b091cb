#include "charts/training_view.h"

#include "readable_numbers.h"

#include "qt_text.h"

#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

#include "charts/chart_style.h"

namespace mg::ui {

bool isTrainingCurve(const engine::ScatterValue& scatter) {
  return scatter.kind == "training_loss" || scatter.kind == "training_validation";
}

TrainingView::TrainingView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("trainingView"));
  chart_ = new QChartView(this);
  chart_->setObjectName(QStringLiteral("trainingChart"));
  chart_->setRenderHint(QPainter::Antialiasing);
  chart_->setMinimumHeight(160);
  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("trainingSummary"));
  summary_->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 4);
  layout->addWidget(chart_, 1);
  layout->addWidget(summary_);
  redraw();
}

bool TrainingView::setCurves(const std::vector<engine::ScatterValue>& scatters) {
  curves_.clear();
  std::copy_if(scatters.begin(), scatters.end(), std::back_inserter(curves_), isTrainingCurve);
  redraw();
  return hasCurves();
}

void TrainingView::redraw() {
  auto* chart = new QChart;
  chart->legend()->setAlignment(Qt::AlignBottom);
  QStringList best;
  if (curves_.empty()) {
    chart->setTitle(tr("Run a Fine-tune node to see its training curve here"));
  } else {
    chart->setTitle(tr("Training loss and validation accuracy"));
    auto* steps = new QValueAxis;
    steps->setTitleText(tr("step"));
    steps->setLabelFormat(QStringLiteral("%d"));
    auto* loss = new QValueAxis;
    loss->setTitleText(tr("training loss"));
    loss->setLabelFormat(QStringLiteral("%.2f"));
    auto* accuracy = new QValueAxis;
    accuracy->setTitleText(tr("validation %"));
    accuracy->setLabelFormat(QStringLiteral("%.0f"));
    accuracy->setRange(0, 100);
    chart->addAxis(steps, Qt::AlignBottom);
    chart->addAxis(loss, Qt::AlignLeft);
    bool anyValidation = false;
    double lastStep = 1, highestLoss = 0;
    std::map<std::string, int> colourOf; // one colour per node title, shared by its two curves
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    for (const auto& curve : curves_) {
      const int colour = colourOf.emplace(curve.title, int(colourOf.size())).first->second;
      const bool validation = curve.kind == "training_validation";
      auto* series = new QLineSeries;
      series->setName(qs(curve.title) + (validation ? tr(" validation") : tr(" loss")));
      QPen pen(seriesColor(colour, dark));
      pen.setWidthF(2);
      if (validation) pen.setStyle(Qt::DashLine);
      series->setPen(pen);
      const engine::ScatterPoint* top = nullptr;
      for (const auto& p : curve.points) {
        series->append(p.x, p.y);
        lastStep = std::max(lastStep, p.x);
        if (!validation) highestLoss = std::max(highestLoss, p.y);
        if (validation && (!top || p.y > top->y)) top = &p;
      }
      chart->addSeries(series);
      series->attachAxis(steps);
      if (validation) {
        if (!anyValidation) chart->addAxis(accuracy, Qt::AlignRight);
        anyValidation = true;
        series->attachAxis(accuracy);
        if (top)
          best << tr("%1: best validation %2 at step %3")
                      .arg(qs(curve.title), percentText(top->y / 100.0),
                           QLocale().toString(qlonglong(top->x)));
      } else {
        series->attachAxis(loss);
      }
    }
    if (!anyValidation) delete accuracy;
    steps->setRange(0, lastStep);
    loss->setRange(0, highestLoss > 0 ? highestLoss * 1.05 : 1);
    loss->applyNiceNumbers(); // ticks at round losses
    steps->applyNiceNumbers();
  }
  styleChart(chart, palette());
  auto* old = chart_->chart();
  chart_->setChart(chart);
  delete old;
  summary_->setText(best.join(QStringLiteral(" · ")));
  summary_->setVisible(!best.isEmpty());
}

} // namespace mg::ui
