#pragma once
// How charts look in the workbench's light and dark themes: the chart follows the window's palette (no
// separate chart theme with its own fonts and gradients), and series take colours from one qualitative
// palette that reads on both backgrounds, so a model keeps its colour in the chart and the table.
#include <QColor>

class QPalette;

QT_BEGIN_NAMESPACE
class QChart;
class QAbstractAxis;
QT_END_NAMESPACE

namespace mg::ui {

// The i-th series colour (cycles after twenty).
QColor seriesColor(int index, bool dark);
// Background, plot area, title, legend and axes of `chart` (and of every axis it has) from `palette`.
void styleChart(QChart* chart, const QPalette& palette);
void styleAxis(QAbstractAxis* axis, const QPalette& palette);

} // namespace mg::ui
