#include "charts/heatmap_view.h"

#include "readable_numbers.h"
#include "i18n/core_text.h"

#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mg::ui {

// The grid itself: geometry in one place so painting, hit-testing and tooltips agree.
class HeatmapCanvas : public QWidget {
public:
  explicit HeatmapCanvas(HeatmapView* view) : QWidget(view), view_(view) {
    setMouseTracking(true);
    setMinimumHeight(120);
  }

  std::optional<std::pair<int, int>> cellAt(const QPoint& p) const {
    const auto& m = view_->matrix();
    const QRect grid = gridRect();
    if (m.rows.empty() || m.columns.empty() || !grid.contains(p)) return std::nullopt;
    const int row = (p.y() - grid.top()) * int(m.rows.size()) / std::max(1, grid.height());
    const int column = (p.x() - grid.left()) * int(m.columns.size()) / std::max(1, grid.width());
    return std::make_pair(std::min(row, int(m.rows.size()) - 1), std::min(column, int(m.columns.size()) - 1));
  }

protected:
  void paintEvent(QPaintEvent*) override {
    const auto& m = view_->matrix();
    if (m.rows.empty() || m.columns.empty()) return;
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRect grid = gridRect();
    const double lo = minValue(), hi = maxValue();
    const int rows = int(m.rows.size()), columns = int(m.columns.size());
    const QColor low = palette().color(QPalette::Base);
    const QColor high(214, 96, 40); // warm: larger = more interference
    // Rows shorter than a line of text (many points in a short panel): a label only where it does not
    // overwrite the one above; the tooltip names every cell.
    const int lineHeight = painter.fontMetrics().height();
    int labelsEnd = std::numeric_limits<int>::min();
    for (int r = 0; r < rows; ++r) {
      const int middle = (cellTop(grid, r) + cellTop(grid, r + 1)) / 2;
      if (middle - lineHeight / 2 >= labelsEnd) {
        const QRect label(0, middle - lineHeight / 2, grid.left() - 8, lineHeight);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter, rowText(r));
        labelsEnd = middle + lineHeight - lineHeight / 2;
      }
      for (int c = 0; c < columns; ++c) {
        const QRect cell(cellLeft(grid, c), cellTop(grid, r), cellLeft(grid, c + 1) - cellLeft(grid, c),
                         cellTop(grid, r + 1) - cellTop(grid, r));
        const double t = hi > lo ? (m.values[r][c] - lo) / (hi - lo) : 0.0;
        const QColor fill = mix(low, high, t);
        painter.fillRect(cell.adjusted(1, 1, -1, -1), fill);
        // Too small a cell for its number (a map of many points): the colour and the tooltip tell it.
        // A value that rounds to zero is printed 0.00, not -0.00.
        const double shown = std::abs(m.values[r][c]) < 0.005 ? 0.0 : m.values[r][c];
        const QString text = decimalText(shown, 2);
        if (cell.width() < painter.fontMetrics().horizontalAdvance(text) + 4 ||
            cell.height() < painter.fontMetrics().height())
          continue;
        painter.setPen(fill.lightnessF() < 0.55 ? Qt::white : Qt::black);
        painter.drawText(cell, Qt::AlignCenter, text);
      }
    }
    painter.setPen(palette().color(QPalette::WindowText));
    const bool numbered = numberedColumns();
    for (int c = 0; c < columns; ++c) {
      const QRect label(cellLeft(grid, c), 0, cellLeft(grid, c + 1) - cellLeft(grid, c), grid.top() - 4);
      const QString text = numbered ? QString::number(c + 1)
                                    : painter.fontMetrics().elidedText(QString::fromStdString(m.columns[c]),
                                                                       Qt::ElideRight, label.width() - 2);
      painter.drawText(label, Qt::AlignHCenter | Qt::AlignBottom, text);
    }
  }

  void mouseMoveEvent(QMouseEvent* event) override {
    const auto cell = cellAt(event->position().toPoint());
    if (!cell) return QToolTip::hideText();
    const auto& m = view_->matrix();
    QToolTip::showText(event->globalPosition().toPoint(),
                       HeatmapView::tr("%1 on %2: %3")
                           .arg(QString::fromStdString(m.rows[cell->first]),
                                QString::fromStdString(m.columns[cell->second]),
                                decimalText(m.values[cell->first][cell->second], 3)),
                       this);
  }

  void mousePressEvent(QMouseEvent* event) override {
    const auto cell = cellAt(event->position().toPoint());
    const auto& m = view_->matrix();
    if (cell && std::size_t(cell->first) < m.rowNodes.size() && m.rowNodes[cell->first] != 0)
      Q_EMIT view_->nodeActivated(m.rowNodes[cell->first]);
  }

private:
  // The widest of `labels` in this widget's font.
  int widest(const std::vector<std::string>& labels) const {
    const QFontMetrics metrics(font());
    int most = 0;
    for (const auto& label : labels)
      most = std::max(most, metrics.horizontalAdvance(QString::fromStdString(label)));
    return most;
  }
  // A square matrix whose columns are its rows (a similarity matrix) with more columns than their names fit:
  // the columns are numbered and the rows carry the same numbers, so 16+ specialists stay readable.
  bool numberedColumns() const {
    const auto& m = view_->matrix();
    if (m.columns.empty() || m.rows != m.columns) return false;
    const int cell = (width() - widest(m.rows) - 24) / int(m.columns.size());
    return widest(m.columns) + 4 > cell;
  }
  QString rowText(int row) const {
    const auto name = QString::fromStdString(view_->matrix().rows[std::size_t(row)]);
    return numberedColumns() ? QStringLiteral("%1  %2").arg(row + 1).arg(name) : name;
  }
  QRect gridRect() const {
    const auto& m = view_->matrix();
    const QFontMetrics metrics(font());
    int labelWidth = widest(m.rows);
    if (numberedColumns()) labelWidth += metrics.horizontalAdvance(QStringLiteral("%1  ").arg(m.rows.size()));
    const int top = metrics.height() + 8, left = labelWidth + 16;
    return QRect(left, top, std::max(10, width() - left - 8), std::max(10, height() - top - 4));
  }
  int cellTop(const QRect& grid, int row) const {
    return grid.top() + row * grid.height() / int(view_->matrix().rows.size());
  }
  int cellLeft(const QRect& grid, int column) const {
    return grid.left() + column * grid.width() / int(view_->matrix().columns.size());
  }
  // The colour scale's ends. A similarity matrix's diagonal (every point is identical to itself) would take
  // the top of the scale and wash out the off-diagonal contrasts the user reads: it is left out.
  bool inScale(std::size_t row, std::size_t column) const {
    const auto& m = view_->matrix();
    return !(m.kind == "similarity" && row == column);
  }
  double minValue() const {
    double lo = 0; // anchored at zero: no change at all is the palest colour
    const auto& values = view_->matrix().values;
    for (std::size_t r = 0; r < values.size(); ++r)
      for (std::size_t c = 0; c < values[r].size(); ++c)
        if (inScale(r, c)) lo = std::min(lo, values[r][c]);
    return lo;
  }
  double maxValue() const {
    double hi = 0;
    const auto& values = view_->matrix().values;
    for (std::size_t r = 0; r < values.size(); ++r)
      for (std::size_t c = 0; c < values[r].size(); ++c)
        if (inScale(r, c)) hi = std::max(hi, values[r][c]);
    return hi;
  }
  static QColor mix(const QColor& a, const QColor& b, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
  }

  HeatmapView* view_;
};

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  title_ = new QLabel(this);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  canvas_ = new HeatmapCanvas(this);
  note_ = new QLabel(this);
  note_->setWordWrap(true);
  note_->setForegroundRole(QPalette::PlaceholderText);
  layout->addWidget(title_);
  layout->addWidget(canvas_, 1);
  layout->addWidget(note_);
}

void HeatmapView::setMatrix(const engine::MatrixValue& matrix) {
  matrix_ = matrix;
  title_->setText(coreText(matrix.title));
  // Notes are written to follow a title in the CLI ("Routing of X: share of ..."); alone they start a
  // sentence.
  QString note = QString::fromStdString(matrix.note).trimmed();
  if (!note.isEmpty()) note[0] = note[0].toUpper();
  if (note.endsWith(QLatin1Char('.'))) note.chop(1);
  note_->setText(note.isEmpty() ? tr("Click a row to select its node.")
                                : note + tr(". Click a row to select its node."));
  canvas_->update();
}

void HeatmapView::clear() {
  setMatrix({});
}

std::optional<std::pair<int, int>> HeatmapView::cellAt(const QPoint& canvasPoint) const {
  return canvas_->cellAt(canvasPoint);
}

QWidget* HeatmapView::canvas() const {
  return canvas_;
}

} // namespace mg::ui
