// The Interference heatmap as a user meets it: every cell drawn where its row and column are, the value
// under the mouse, and a click on a row selecting the node behind it.
#include "support/test_registry.h"
#include <QSignalSpy>
#include <QtTest>

#include "charts/heatmap_view.h"

using namespace mg;

namespace {

engine::MatrixValue sample() {
  engine::MatrixValue m;
  m.title = "Feature interference";
  m.note = "how far each specialist moves the base's features";
  m.rows = {"LoRA rotate", "LoRA flip"};
  m.columns = {"original", "rotate", "flip"};
  m.rowNodes = {7, 0};
  m.values = {{0.42, 0.30, 0.42}, {0.34, 0.34, 0.32}};
  return m;
}

} // namespace

class HeatmapViewTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void mapsPointsToCells() {
    ui::HeatmapView view;
    view.resize(600, 300);
    view.setMatrix(sample());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QWidget* canvas = view.canvas();
    // Bottom-right corner of the canvas is the last row's last column; the top-left corner is a label.
    const auto last = view.cellAt(QPoint(canvas->width() - 10, canvas->height() - 6));
    QVERIFY(last.has_value());
    QCOMPARE(*last, std::make_pair(1, 2));
    QVERIFY(!view.cellAt(QPoint(2, 2)).has_value());
  }

  void clickingARowSelectsItsNode() {
    ui::HeatmapView view;
    view.resize(600, 300);
    view.setMatrix(sample());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy activated(&view, &ui::HeatmapView::nodeActivated);
    QWidget* canvas = view.canvas();
    QTest::mouseClick(canvas, Qt::LeftButton, {}, QPoint(canvas->width() - 10, canvas->height() / 2 - 10));
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.front().front().toULongLong(), 7ULL);
    // The second row's node is unknown (0): nothing to select.
    QTest::mouseClick(canvas, Qt::LeftButton, {}, QPoint(canvas->width() - 10, canvas->height() - 6));
    QCOMPARE(activated.size(), 1);
  }

  void rendersItsNumbers() {
    ui::HeatmapView view;
    view.resize(600, 300);
    view.setMatrix(sample());
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
    // The hottest cell is drawn in the warm colour, distinct from the background.
    QVERIFY(image.pixelColor(view.canvas()->geometry().right() - 20, view.canvas()->geometry().top() + 40) !=
            view.palette().color(QPalette::Window));
  }
};

MG_TEST_MAIN(HeatmapViewTest)
#include "test_heatmap_view.moc"
