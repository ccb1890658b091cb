#pragma once
// Level of detail shared by the canvas's boxes (nodes, collapsed groups): below kDetailZoom their labels
// would be a few pixels tall, so they show their title alone, large, over the whole box.
#include <QFont>
#include <QRectF>
#include <QString>

class QPainter;

namespace mg::ui {

inline constexpr double kDetailZoom = 0.6;
inline constexpr double kOverviewTitlePixels = 15.0; // on screen

// The largest pixel size (item units) at which `title`, word-wrapped, fits `box` in `font`.
double fittingTitlePixels(const QRectF& box, const QString& title, QFont font);
// Draws `title` centred in `box` at kOverviewTitlePixels on screen, never larger than `fitPixels`.
void drawOverviewTitle(QPainter* painter, const QRectF& box, const QString& title, QFont font, double zoom,
                       double fitPixels);

} // namespace mg::ui
