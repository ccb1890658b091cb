#include "charts/chart_export.h"

#include <QBuffer>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QToolButton>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>
#include <QWidget>

#include "io/atomic_file.h"

namespace mg::ui {

namespace {

QString failure(const QString& path, const QString& problem) {
  return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), problem);
}

// Charts lay themselves out in posted events (a mode switch just before an export): deliver them first so
// the file shows what the screen will.
void settle() {
  QCoreApplication::sendPostedEvents();
}

// The size a widget renders at: its own once laid out, else a sensible default (a hidden dock).
QSize renderSize(QWidget* widget) {
  const QSize size = widget->size();
  return size.width() >= 200 && size.height() >= 150 ? size : QSize(960, 540);
}

} // namespace

QString writeTextFile(const QString& path, const QByteArray& content) {
  // io's atomic write rather than QSaveFile: its temporaries are the ones a later write sweeps up after a
  // crash, and a full disk is found before writing (io/atomic_file.h).
  try {
    io::writeFileAtomically(path.toStdString(),
                            std::string(content.constData(), std::size_t(content.size())));
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  }
  return {};
}

QString writeWidgetPng(QWidget* widget, const QString& path) {
  settle();
  const QSize size = renderSize(widget);
  if (widget->size() != size) widget->resize(size);
  settle();
  constexpr int kScale = 2;
  QImage image(size * kScale, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(kScale);
  image.fill(widget->palette().color(QPalette::Active, QPalette::Base));
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    widget->render(&painter);
  }
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  if (!image.save(&buffer, "PNG")) return failure(path, QStringLiteral("cannot encode the PNG image"));
  return writeTextFile(path, bytes);
}

QString writeWidgetSvg(QWidget* widget, const QString& path, const QString& title) {
  settle();
  const QSize size = renderSize(widget);
  if (widget->size() != size) widget->resize(size);
  settle();
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  svg.setSize(size);
  svg.setViewBox(QRect(QPoint(0, 0), size));
  svg.setTitle(title);
  svg.setDescription(QStringLiteral("Exported from Merganser"));
  {
    QPainter painter(&svg);
    if (!painter.isActive()) return failure(path, QStringLiteral("cannot start the SVG drawing"));
    widget->render(&painter);
  }
  if (bytes.isEmpty()) return failure(path, QStringLiteral("the SVG drawing came out empty"));
  return writeTextFile(path, bytes);
}

namespace {

// Gives the chart a title and its legend for the duration of an export: on screen the tab names the chart and
// the table beside it is the legend (with each model's colour), in a file they must be in the picture.
class DressedForExport {
public:
  DressedForExport(QChart* chart, const QString& title)
      : chart_(chart), title_(chart->title()), legend_(chart->legend()->isVisible()) {
    chart_->setTitle(title);
    chart_->legend()->setVisible(true);
  }
  ~DressedForExport() {
    chart_->setTitle(title_);
    chart_->legend()->setVisible(legend_);
  }

private:
  QChart* chart_;
  QString title_;
  bool legend_;
};

} // namespace

QString writeChartPng(QChartView* view, const QString& title, const QString& path) {
  const DressedForExport dressed(view->chart(), title);
  return writeWidgetPng(view, path);
}

QString writeChartSvg(QChartView* view, const QString& title, const QString& path) {
  const DressedForExport dressed(view->chart(), title);
  return writeWidgetSvg(view, path, title);
}

QToolButton* makeExportButton(QWidget* parent, const QString& baseName,
                              std::function<QString(ExportKind, const QString& path)> write) {
  auto* button = new QToolButton(parent);
  button->setText(QObject::tr("Export"));
  button->setToolTip(QObject::tr("Save the chart as an image or the table as CSV"));
  button->setPopupMode(QToolButton::InstantPopup);
  button->setAutoRaise(true);
  auto* menu = new QMenu(button);
  struct Choice {
    ExportKind kind;
    const char* label;
    const char* filter;
    const char* suffix;
  };
  static const Choice choices[] = {
      {ExportKind::Png, "Chart as PNG…", "PNG images (*.png)", ".png"},
      {ExportKind::Svg, "Chart as SVG…", "SVG drawings (*.svg)", ".svg"},
      {ExportKind::Csv, "Table as CSV…", "CSV tables (*.csv)", ".csv"},
  };
  for (const auto& choice : choices) {
    menu->addAction(QObject::tr(choice.label), button, [parent, baseName, write, choice] {
      const QString suffix = QLatin1String(choice.suffix);
      QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export"), baseName + suffix,
                                                  QObject::tr(choice.filter));
      if (path.isEmpty()) return;
      if (!path.endsWith(suffix, Qt::CaseInsensitive)) path += suffix;
      const QString error = write(choice.kind, path);
      if (!error.isEmpty()) QMessageBox::warning(parent, QObject::tr("Cannot export"), error);
    });
  }
  button->setMenu(menu);
  return button;
}

} // namespace mg::ui
