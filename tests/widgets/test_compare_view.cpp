// The Compare view as a user relies on it: the numbers (absolute and normalized by each task's specialist,
// and how the specialist is chosen), one bar set per model with the right heights, hover text, a table that
// sorts when its header is clicked, a bar click naming the model's node, and exports that write real files.
#include "support/test_registry.h"
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QImage>
#include <QLegend>
#include <QSignalSpy>
#include <QTableView>
#include <QToolButton>
#include <QValueAxis>
#include <QtTest>

#include "charts/compare_view.h"
#include "charts/results_table.h"
#include "support/temp_dir.h"
#include "theme/theme.h"

using namespace mg;
using ui::ScoreMode;

namespace {

eval::ModelScores model(const std::string& label, std::uint64_t node,
                        std::vector<std::pair<std::string, double>> accuracies) {
  eval::ModelScores m;
  m.model = label;
  m.modelNode = node;
  m.evaluateNode = 100 + node;
  for (const auto& [task, accuracy] : accuracies) {
    eval::TaskScore s;
    s.task = task;
    s.accuracy = accuracy;
    s.examples = 1000;
    m.scores.push_back(s);
  }
  return m;
}

// base, a specialist named after "rot" (a path, as source nodes label their models), and a merge that is the
// best on "flip", which no model is named after.
std::vector<eval::ModelScores> threeModels() {
  return {model("/zoo/base.safetensors", 1, {{"rot", 0.50}, {"flip", 0.60}}),
          model("/zoo/adapters/lora_rot/", 2, {{"rot", 0.80}, {"flip", 0.55}}),
          model("TIES", 3, {{"rot", 0.70}, {"flip", 0.65}})};
}

QList<qreal> values(QBarSet* set) {
  QList<qreal> out;
  for (int i = 0; i < set->count(); ++i)
    out << set->at(i);
  return out;
}

bool near(double a, double b) {
  return std::abs(a - b) < 1e-9;
}

QStringList column(QAbstractItemModel* model, int col) {
  QStringList out;
  for (int r = 0; r < model->rowCount(); ++r)
    out << model->index(r, col).data().toString();
  return out;
}

} // namespace

class CompareViewTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void shortNamesAndTaskNames() {
    QCOMPARE(ui::shortModelName("/zoo/adapters/lora_rot/"), std::string("lora_rot"));
    QCOMPARE(ui::shortModelName("/zoo/base.safetensors"), std::string("base"));
    QCOMPARE(ui::shortModelName("TIES"), std::string("TIES"));
    QCOMPARE(ui::namesTask("rot", "rot"), 2);
    QCOMPARE(ui::namesTask("LoRA_Rot", "rot"), 1);
    QCOMPARE(ui::namesTask("specialist-rot", "rot"), 1);
    QCOMPARE(ui::namesTask("carrot", "rot"), 0); // a suffix, but not after a separator
    QCOMPARE(ui::namesTask("rot_lora", "rot"), 0);
  }

  void specialistRuleAndNormalization() {
    const auto table = ui::buildResultsTable(threeModels());
    QCOMPARE(table.tasks, (std::vector<std::string>{"rot", "flip"}));
    QCOMPARE(table.names, (std::vector<std::string>{"base", "lora_rot", "TIES"}));
    // rot: the model named after it; flip: nobody is, so the best shown (TIES).
    QCOMPARE(table.specialists[0].row, std::optional<std::size_t>(1));
    QCOMPARE(table.specialists[0].rule, ui::SpecialistRule::Named);
    QCOMPARE(table.specialists[1].row, std::optional<std::size_t>(2));
    QCOMPARE(table.specialists[1].rule, ui::SpecialistRule::BestShown);

    QVERIFY(near(*table.value(0, 0, ScoreMode::Absolute), 0.50));
    QVERIFY(near(*table.value(0, 0, ScoreMode::Normalized), 0.50 / 0.80));
    QVERIFY(near(*table.value(2, 0, ScoreMode::Normalized), 0.70 / 0.80));
    QVERIFY(near(*table.value(1, 1, ScoreMode::Normalized), 0.55 / 0.65));
    QVERIFY(near(*table.value(2, 1, ScoreMode::Normalized), 1.0));
    QVERIFY(near(*table.mean(0, ScoreMode::Absolute), 0.55));
    QVERIFY(near(*table.mean(0, ScoreMode::Normalized), (0.50 / 0.80 + 0.60 / 0.65) / 2));
    QVERIFY(near(table.maxValue(ScoreMode::Normalized), 1.0));
  }

  void aNamedSpecialistWinsEvenWhenAMergeBeatsIt() {
    // The merge is better on rot than the specialist: normalized scores above 1 are what shows that.
    auto rows = threeModels();
    rows[2].scores[0].accuracy = 0.88;
    const auto table = ui::buildResultsTable(rows);
    QCOMPARE(table.specialists[0].row, std::optional<std::size_t>(1));
    QVERIFY(near(*table.value(2, 0, ScoreMode::Normalized), 0.88 / 0.80));
    // An exact name beats a suffix match.
    rows.push_back(model("rot", 4, {{"rot", 0.60}}));
    QCOMPARE(ui::buildResultsTable(rows).specialists[0].row, std::optional<std::size_t>(3));
  }

  void missingScoresAndDuplicateNames() {
    std::vector<eval::ModelScores> rows{model("TIES", 1, {{"rot", 0.5}}), model("TIES", 2, {{"flip", 0.4}})};
    const auto table = ui::buildResultsTable(rows);
    QCOMPARE(table.names, (std::vector<std::string>{"TIES", "TIES (2)"}));
    QVERIFY(!table.value(0, 1, ScoreMode::Absolute));
    QVERIFY(near(*table.mean(0, ScoreMode::Absolute), 0.5)); // over the tasks it was scored on
    QCOMPARE(ui::csvText(table, ScoreMode::Absolute),
             std::string("model,rot,flip,mean\nTIES,0.5000,,0.5000\nTIES (2),,0.4000,0.4000\n"));
  }

  void oneBarSetPerModelWithTheRightValues() {
    ui::CompareView view;
    view.setResults(threeModels());
    auto* series = view.series();
    QCOMPARE(series->count(), 3);
    QCOMPARE(series->barSets()[0]->label(), QStringLiteral("base"));
    QCOMPARE(series->barSets()[1]->label(), QStringLiteral("lora_rot"));
    auto* axis = qobject_cast<QBarCategoryAxis*>(view.chart()->axes(Qt::Horizontal).front());
    QCOMPARE(axis->categories(), QStringList({"rot", "flip", "mean"}));
    const auto base = values(series->barSets()[0]);
    QCOMPARE(base.size(), 3);
    QVERIFY(near(base[0], 50.0) && near(base[1], 60.0) && near(base[2], 55.0));
    auto* y = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Vertical).front());
    QCOMPARE(y->max(), 100.0);

    view.setMode(ScoreMode::Normalized);
    QCOMPARE(series->count(), 3);
    const auto normalized = values(series->barSets()[0]);
    QVERIFY(near(normalized[0], 0.625));
    QVERIFY(near(normalized[1], 0.60 / 0.65));
    QVERIFY(y->max() >= 1.0 && y->max() <= 1.1);
    QVERIFY2(view.noteText().contains(QStringLiteral("rot → lora_rot")), qPrintable(view.noteText()));
    QVERIFY2(view.noteText().contains(QStringLiteral("Best shown: flip → TIES")),
             qPrintable(view.noteText()));

    // Hover text: "model · task: value".
    view.setMode(ScoreMode::Absolute);
    QCOMPARE(view.barText(1, 0), QStringLiteral("lora_rot · rot: 80.0%"));
    QCOMPARE(view.barText(0, 2), QStringLiteral("base · mean: 55.0%"));
    Q_EMIT series->hovered(true, 1, series->barSets()[2]);
    QCOMPARE(view.lastHoverText(), QStringLiteral("TIES · flip: 65.0%"));
  }

  // Language models: a perplexity task has no accuracy, so the accuracy modes leave it out and the Perplexity
  // mode (offered only then) charts it alone, lower being better.
  void perplexityTasksHaveTheirOwnMode() {
    auto models = threeModels();
    ui::CompareView view;
    view.setResults(models);
    auto* perplexityButton = view.findChild<QToolButton*>(QStringLiteral("perplexityMode"));
    QVERIFY(perplexityButton && perplexityButton->isHidden()); // classifiers only: no perplexity

    for (auto& m : models) {
      eval::TaskScore prose;
      prose.task = "prose";
      prose.textKind = "perplexity";
      prose.perplexity = m.modelNode == 1 ? 20.0 : 12.5;
      m.scores.push_back(prose);
    }
    view.setResults(models);
    QVERIFY(!perplexityButton->isHidden());
    auto* axis = qobject_cast<QBarCategoryAxis*>(view.chart()->axes(Qt::Horizontal).front());
    QCOMPARE(axis->categories(), QStringList({"rot", "flip", "mean"})); // prose's 0 accuracy is not charted
    QVERIFY(near(values(view.series()->barSets()[0])[2], 55.0));        // nor averaged

    perplexityButton->click();
    QCOMPARE(axis->categories(), QStringList({"prose", "mean"}));
    const auto base = values(view.series()->barSets()[0]);
    QVERIFY(near(base[0], 20.0) && near(base[1], 20.0));
    auto* y = qobject_cast<QValueAxis*>(view.chart()->axes(Qt::Vertical).front());
    QVERIFY(y->titleText().contains(QStringLiteral("lower is better")));
    QCOMPARE(view.barText(2, 0), QStringLiteral("TIES · prose: perplexity 12.50"));
    QCOMPARE(column(view.tableModel(), 2), QStringList({"20.00", "12.50", "12.50"}));
    QVERIFY(
        ui::csvText(ui::buildResultsTable(models), ScoreMode::Perplexity).rfind("model,prose,mean\n", 0) ==
        0);
  }

  void theTableSortsWhenItsHeaderIsClicked() {
    ui::CompareView view;
    view.resize(1000, 400);
    view.setResults(threeModels());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto* model = view.tableModel();
    QCOMPARE(column(model, 0), QStringList({"base", "lora_rot", "TIES"})); // run order at first
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Mean"));
    QCOMPARE(column(model, 1), QStringList({"55.0%", "67.5%", "67.5%"}));
    QCOMPARE(column(model, 2), QStringList({"50.0%", "80.0%", "70.0%"}));

    // Click the "rot" header: ascending by number, not by text.
    auto* header = view.tableView()->horizontalHeader();
    const QPoint rot(header->sectionViewportPosition(2) + header->sectionSize(2) / 2, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, rot);
    QCOMPARE(column(model, 0), QStringList({"base", "TIES", "lora_rot"}));
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, rot);
    QCOMPARE(column(model, 0), QStringList({"lora_rot", "TIES", "base"}));
  }

  void clickingABarOrARowNamesTheModelsNode() {
    ui::CompareView view;
    view.setResults(threeModels());
    QSignalSpy activated(&view, &ui::CompareView::nodeActivated);
    Q_EMIT view.series()->clicked(0, view.series()->barSets()[2]);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.takeFirst().at(0).toULongLong(), 3ull);

    // A real mouse click on the bar of a one-model chart.
    ui::CompareView single;
    single.resize(800, 400);
    single.setResults({model("A", 7, {{"rot", 0.8}, {"flip", 0.6}})});
    single.show();
    QVERIFY(QTest::qWaitForWindowExposed(&single));
    QSignalSpy clicked(&single, &ui::CompareView::nodeActivated);
    auto* chartView = single.chartView();
    const QPointF inBar = single.chart()->mapToPosition(QPointF(0, 40), single.series());
    const QPoint at = chartView->mapFromScene(inBar);
    QTest::mouseClick(chartView->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.takeFirst().at(0).toULongLong(), 7ull);

    // The table too: a click on a row of the sorted table names the right model.
    auto* table = single.tableView();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualRect(table->model()->index(0, 1)).center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.takeFirst().at(0).toULongLong(), 7ull);
  }

  void exportsWriteRealFiles() {
    test::TempDir dir;
    ui::CompareView view;
    view.resize(900, 420);
    view.setResults(threeModels());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const QString csv = QString::fromStdString(dir.file("scores.csv"));
    QCOMPARE(view.exportCsv(csv), QString());
    QCOMPARE(QString::fromStdString(test::readBytes(csv.toStdString())),
             QStringLiteral("model,rot,flip,mean\nbase,0.5000,0.6000,0.5500\nlora_rot,0.8000,0.5500,0.6750\n"
                            "TIES,0.7000,0.6500,0.6750\n"));
    view.setMode(ScoreMode::Normalized);
    QCOMPARE(view.exportCsv(csv), QString());
    QVERIFY(QString::fromStdString(test::readBytes(csv.toStdString()))
                .contains(QStringLiteral("\nbase,0.6250,0.9231,")));

    const QString png = QString::fromStdString(dir.file("chart.png"));
    QCOMPARE(view.exportPng(png), QString());
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), view.chartView()->size() * 2);
    // Not blank: the bars are drawn in their series colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
      for (int x = 0; x < image.width(); x += 7)
        colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));

    const QString svg = QString::fromStdString(dir.file("chart.svg"));
    QCOMPARE(view.exportSvg(svg), QString());
    const QString text = QString::fromStdString(test::readBytes(svg.toStdString()));
    QVERIFY(text.contains(QStringLiteral("<svg")));
    QVERIFY(text.contains(QStringLiteral("lora_rot"))); // the legend, as text
    // The file has a title (normalized mode here); the screen does not need one.
    QVERIFY(text.contains(QStringLiteral(">Normalized accuracy<")));
    QCOMPARE(view.chart()->title(), QString());
    QVERIFY(!view.chart()->legend()->isVisible()); // on screen the table is the legend
    QVERIFY(text.size() > 2000);

    // A folder that does not exist: a one-line error naming the file, nothing written.
    const QString bad = QString::fromStdString(dir.file("missing/chart.png"));
    const QString error = view.exportPng(bad);
    QVERIFY(error.contains(QStringLiteral("missing")));
    QVERIFY(!QFile::exists(bad));
  }

  // A lineup like the demo's in both themes: the chart follows the palette. With MERGANSER_SCREENSHOT_DIR
  // set, the grabs are kept there for a person to look at.
  void followsTheTheme() {
    test::TempDir dir;
    const QString outDir = qEnvironmentVariableIsSet("MERGANSER_SCREENSHOT_DIR")
                               ? qEnvironmentVariable("MERGANSER_SCREENSHOT_DIR")
                               : QString::fromStdString(dir.path());
    const std::vector<std::string> tasks{"rot90", "flip", "invert", "rot90_flip"};
    std::vector<eval::ModelScores> rows;
    const char* names[] = {"base",    "lora_rot90",      "lora_flip", "lora_invert",
                           "Average", "Task arithmetic", "TIES",      "DARE"};
    for (int m = 0; m < 8; ++m) {
      std::vector<std::pair<std::string, double>> scores;
      for (int t = 0; t < 4; ++t)
        scores.emplace_back(tasks[std::size_t(t)], 0.55 + 0.3 * std::fmod(0.37 * (m + 1) * (t + 2), 1.0));
      rows.push_back(model(names[m], std::uint64_t(m + 1), scores));
    }
    auto* app = qApp;
    for (const auto theme : {ui::Theme::Light, ui::Theme::Dark}) {
      ui::applyTheme(*app, theme);
      ui::CompareView view;
      view.resize(1300, 360);
      view.setResults(rows);
      view.setMode(theme == ui::Theme::Dark ? ScoreMode::Normalized : ScoreMode::Absolute);
      view.highlightNodes({7});
      view.show();
      QVERIFY(QTest::qWaitForWindowExposed(&view));
      QCoreApplication::sendPostedEvents();
      const QImage image = view.grab().toImage();
      QVERIFY(image.save(outDir + QStringLiteral("/compare-%1.png").arg(ui::themeName(theme))));
      // The chart's background is the palette's base colour.
      const QColor corner = image.pixelColor(view.chartView()->geometry().topLeft() + QPoint(3, 3));
      QCOMPARE(ui::isDark(view.palette()), theme == ui::Theme::Dark);
      QCOMPARE(corner.lightness() < 128, theme == ui::Theme::Dark);
    }
  }
};

MG_TEST_MAIN(CompareViewTest)
#include "test_compare_view.moc"
