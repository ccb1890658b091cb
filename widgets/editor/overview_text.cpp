#include "editor/overview_text.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace mg::ui {

double fittingTitlePixels(const QRectF& box, const QString& title, QFont font) {
  int pixels = int(box.height());
  for (; pixels > 6; pixels = int(pixels * 0.9)) {
    font.setPixelSize(pixels);
    const QRectF needed = QFontMetricsF(font).boundingRect(box, Qt::TextWordWrap, title);
    if (needed.height() <= box.height() && needed.width() <= box.width()) break;
  }
  return pixels;
}

void drawOverviewTitle(QPainter* painter, const QRectF& box, const QString& title, QFont font, double zoom,
                       double fitPixels) {
  font.setPixelSize(std::max(1, int(std::min(kOverviewTitlePixels / zoom, fitPixels))));
  painter->setFont(font);
  painter->drawText(box, Qt::AlignCenter | Qt::TextWordWrap, title);
}

} // namespace mg::ui
