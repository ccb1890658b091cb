#include "charts/chart_style.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QChart>
#include <QLegend>
#include <QPalette>

#include "theme/theme.h"

namespace mg::ui {

namespace {

// Tableau 10: distinct hues of similar weight, then ten more picked to stay apart from them (light tints,
// cyan, olive, indigo) so that a lineup of up to twenty models (the demo charts thirteen) never gives two
// of them one colour; the dark variants are a little lighter for contrast.
constexpr QRgb kLight[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1,
                           0xff9da7, 0x9c755f, 0xbab0ac, 0xaec7e8, 0xffbb78, 0x98df8a, 0x17becf,
                           0xc5b0d5, 0xbcbd22, 0x393b79, 0xf7b6d2, 0x8c6d31, 0x9edae5};

QColor mix(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                          float(a.greenF() * (1 - t) + b.greenF() * t),
                          float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

QColor seriesColor(int index, bool dark) {
  const int n = int(sizeof kLight / sizeof kLight[0]);
  const QColor base = QColor::fromRgb(kLight[((index % n) + n) % n]);
  return dark ? base.lighter(112) : base;
}

void styleAxis(QAbstractAxis* axis, const QPalette& palette) {
  const QColor text = palette.color(QPalette::Active, QPalette::Text);
  const QColor base = palette.color(QPalette::Active, QPalette::Base);
  axis->setLabelsColor(text);
  axis->setTitleBrush(text);
  axis->setLinePenColor(mix(base, text, 0.45));
  axis->setGridLineColor(mix(base, text, 0.14));
  axis->setMinorGridLineColor(mix(base, text, 0.07));
  QFont title = axis->titleFont();
  title.setBold(false);
  axis->setTitleFont(title);
}

void styleChart(QChart* chart, const QPalette& palette) {
  const QColor text = palette.color(QPalette::Active, QPalette::Text);
  chart->setBackgroundBrush(palette.color(QPalette::Active, QPalette::Base));
  chart->setBackgroundPen(Qt::NoPen);
  chart->setBackgroundRoundness(0);
  chart->setPlotAreaBackgroundVisible(false);
  chart->setLocalizeNumbers(true); // axis labels in the language's spelling (QLocale::setDefault)
  chart->setLocale(QLocale());
  chart->setTitleBrush(text);
  chart->legend()->setLabelColor(text);
  // A little smaller than the UI font: a dozen models fit beside a chart in a dock of modest height.
  QFont small = QApplication::font();
  small.setPointSizeF(small.pointSizeF() * 0.9);
  chart->legend()->setFont(small);
  for (auto* axis : chart->axes())
    styleAxis(axis, palette);
}

} // namespace mg::ui
