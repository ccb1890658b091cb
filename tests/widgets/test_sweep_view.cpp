// The Sweep view: the points of a sweep become one curve per task and a mean curve over the parameter, in
// ascending order whatever order they came in, with hover values, a table, and CSV/PNG/SVG exports.
#include "support/test_registry.h"
#include <QChart>
#include <QChartView>
#include <QImage>
#include <QLineSeries>
#include <QSignalSpy>
#include <QValueAxis>
#include <QtTest>

#include "charts/sweep_curves.h"
#include "charts/sweep_view.h"
#include "support/temp_dir.h"
#include "theme/theme.h"

using namespace mg;

namespace {

eval::ModelScores point(double lambda, double alpha, double beta, std::uint64_t sweepNode = 9) {
  eval::ModelScores m;
  m.model = "merge";
  m.modelNode = 5;
  m.evaluateNode = sweepNode;
  m.parameter = "lambda";
  m.parameterValue = lambda;
  for (const auto& [task, accuracy] : {std::pair<const char*, double>{"alpha", alpha}, {"beta", beta}}) {
    eval::TaskScore s;
    s.task = task;
    s.accuracy = accuracy;
    m.scores.push_back(s);
  }
  return m;
}

std::vector<eval::ModelScores> lambdaSweep() {
  // Out of order on purpose; plus an ordinary evaluation, which is no sweep point.
  std::vector<eval::ModelScores> points{point(0.5, 0.70, 0.50), point(0.1, 0.60, 0.80),
                                        point(0.3, 0.90, 0.70)};
  eval::ModelScores plain;
  plain.model = "base";
  points.push_back(plain);
  return points;
}

} // namespace

class SweepViewTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void pointsBecomeAscendingCurves() {
    const auto sweeps = ui::gatherSweeps(lambdaSweep());
    QCOMPARE(sweeps.size(), std::size_t(1));
    const auto& s = sweeps.front();
    QCOMPARE(s.parameter, std::string("lambda"));
    QCOMPARE(s.x, (std::vector<double>{0.1, 0.3, 0.5}));
    QCOMPARE(s.tasks, (std::vector<std::string>{"alpha", "beta"}));
    QCOMPARE(*s.values[0][1], 0.90);
    QCOMPARE(*s.values[1][0], 0.80);
    QVERIFY(std::abs(*s.mean[1] - 0.80) < 1e-12);
    QCOMPARE(ui::sweepCsvText(s), std::string("lambda,alpha,beta,mean\n0.1,0.6000,0.8000,0.7000\n"
                                              "0.3,0.9000,0.7000,0.8000\n0.5,0.7000,0.5000,0.6000\n"));
    // Two sweep nodes give two sweeps.
    auto two = lambdaSweep();
    two.push_back(point(0.2, 0.5, 0.5, 12));
    QCOMPARE(ui::gatherSweeps(two).size(), std::size_t(2));

    // A language model's perplexity task has no accuracy: no curve, and it does not pull the mean down.
    auto withPerplexity = lambdaSweep();
    for (auto& p : withPerplexity) {
      eval::TaskScore prose;
      prose.task = "prose";
      prose.textKind = "perplexity";
      prose.perplexity = 15.0;
      p.scores.push_back(prose);
    }
    const auto text = ui::gatherSweeps(withPerplexity).front();
    QCOMPARE(text.tasks, (std::vector<std::string>{"alpha", "beta"}));
    QVERIFY(std::abs(*text.mean[1] - 0.80) < 1e-12);
  }

  void aLinePerTaskAndABoldMean() {
    ui::SweepView view;
    QVERIFY(view.setResults(lambdaSweep()));
    const auto lines = view.lineSeries();
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0]->name(), QStringLiteral("alpha"));
    QCOMPARE(lines[2]->name(), QStringLiteral("mean"));
    QCOMPARE(lines[0]->count(), 3);
    QCOMPARE(lines[0]->at(1), QPointF(0.3, 90.0));
    QVERIFY(std::abs(lines[2]->at(0).y() - 70.0) < 1e-9);
    QVERIFY(lines[2]->pen().widthF() > 2 * lines[0]->pen().widthF() * 0.9);
    auto* x = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Horizontal).front());
    QCOMPARE(x->titleText(), QStringLiteral("lambda"));
    QCOMPARE(x->min(), 0.1);
    QCOMPARE(x->max(), 0.5);

    // Hover near a point names the task, the parameter's value and the accuracy there.
    QCOMPARE(view.pointText(1, 0.28), QStringLiteral("beta · lambda = 0.3: 70.0%"));
    Q_EMIT lines[2]->hovered(QPointF(0.49, 60), true);
    QCOMPARE(view.lastHoverText(), QStringLiteral("mean · lambda = 0.5: 60.0%"));

    QCOMPARE(view.tableModel()->rowCount(), 3);
    QCOMPARE(view.tableModel()->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Mean"));
    QCOMPARE(view.tableModel()->index(0, 1).data().toString(), QStringLiteral("70.0%"));

    QVERIFY(!view.setResults({}));
    QCOMPARE(view.lineSeries().size(), 0);
  }

  void clickingAPointNamesItsModelNode() {
    ui::SweepView view;
    view.setResults(lambdaSweep());
    QSignalSpy activated(&view, &ui::SweepView::nodeActivated);
    Q_EMIT view.lineSeries()[0]->clicked(QPointF(0.1, 60));
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.takeFirst().at(0).toULongLong(), 5ull);
  }

  void exports() {
    test::TempDir dir;
    ui::SweepView view;
    view.resize(900, 400);
    view.setResults(lambdaSweep());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString csv = QString::fromStdString(dir.file("sweep.csv"));
    QCOMPARE(view.exportCsv(csv), QString());
    QVERIFY(QString::fromStdString(test::readBytes(csv.toStdString()))
                .startsWith(QStringLiteral("lambda,alpha")));
    const QString png = QString::fromStdString(dir.file("sweep.png"));
    QCOMPARE(view.exportPng(png), QString());
    QVERIFY(!QImage(png).isNull());
    const QString svg = QString::fromStdString(dir.file("sweep.svg"));
    QCOMPARE(view.exportSvg(svg), QString());
    QVERIFY(QString::fromStdString(test::readBytes(svg.toStdString())).contains(QStringLiteral("<svg")));
  }

  // Kept in MERGANSER_SCREENSHOT_DIR when set, for a person to look at; the mean line is drawn in the text
  // colour, so it must be light on the dark theme.
  void darkTheme() {
    test::TempDir dir;
    const QString outDir = qEnvironmentVariableIsSet("MERGANSER_SCREENSHOT_DIR")
                               ? qEnvironmentVariable("MERGANSER_SCREENSHOT_DIR")
                               : QString::fromStdString(dir.path());
    ui::applyTheme(*qApp, ui::Theme::Dark);
    ui::SweepView view;
    view.resize(1100, 340);
    view.setResults(lambdaSweep());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.grab().save(outDir + QStringLiteral("/sweep-dark.png")));
    QVERIFY(view.lineSeries().back()->pen().color().lightness() > 180);
    ui::applyTheme(*qApp, ui::Theme::Light);
    QVERIFY(view.lineSeries().back()->pen().color().lightness() < 80);
  }
};

MG_TEST_MAIN(SweepViewTest)
#include "test_sweep_view.moc"
