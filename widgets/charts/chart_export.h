#pragma once
// Writing what a chart view shows: the chart as PNG (at twice the on-screen resolution, so it stays sharp on
// slides) or SVG (vector), and text (CSV). Every writer goes through a temporary file and a rename, so a
// failed export never leaves a half-written file; each returns the one-line error, or empty when written.
#include <QString>

#include <functional>

class QChartView;
class QToolButton;
class QWidget;

namespace mg::ui {

enum class ExportKind { Png, Svg, Csv };

QString writeWidgetPng(QWidget* widget, const QString& path);
QString writeWidgetSvg(QWidget* widget, const QString& path, const QString& title);
// A chart view's picture with `title` above the chart and the legend beside it (on screen the tab names the
// chart and the table beside it serves as the legend; a file needs both).
QString writeChartPng(QChartView* view, const QString& title, const QString& path);
QString writeChartSvg(QChartView* view, const QString& title, const QString& path);
QString writeTextFile(const QString& path, const QByteArray& content);

// An "Export" button whose menu offers chart as PNG, chart as SVG and table as CSV: each asks for a file
// (suggesting `baseName` + the extension), then calls `write`, and shows its error in a message box.
QToolButton* makeExportButton(QWidget* parent, const QString& baseName,
                              std::function<QString(ExportKind, const QString& path)> write);

// The same for a chart view with exportPng, exportSvg and exportCsv(path) members (each returning the
// error, or empty), the button a child of the view.
template <typename View> QToolButton* makeViewExportButton(View* view, const QString& baseName) {
  return makeExportButton(view, baseName, [view](ExportKind kind, const QString& path) {
    return kind == ExportKind::Png   ? view->exportPng(path)
           : kind == ExportKind::Svg ? view->exportSvg(path)
                                     : view->exportCsv(path);
  });
}

} // namespace mg::ui
