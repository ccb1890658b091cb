// The panels rendered in both themes, as a user sees them: each grab must be painted in the theme's colours.
// With MERGANSER_SCREENSHOT_DIR set, the PNGs are kept there for a person to look at.
#include "support/test_registry.h"
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QtTest>

#include "graph/document.h"
#include "panels/library_panel.h"
#include "panels/log_panel.h"
#include "panels/properties_panel.h"
#include "support/source_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_time.h"
#include "theme/theme.h"
#include "util/log.h"

using namespace mg::ui;

class PanelScreenshotTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void panelsInBothThemes() {
    mg::test::TempDir dir;
    const QString outDir = qEnvironmentVariableIsSet("MERGANSER_SCREENSHOT_DIR")
                               ? qEnvironmentVariable("MERGANSER_SCREENSHOT_DIR")
                               : QString::fromStdString(dir.path());
    const std::string library = dir.file("library");
    QDir().mkpath(QString::fromStdString(library));
    mg::test::writeModelFile(library + "/base.safetensors");
    mg::test::writeModelFolder(library + "/llama-3.2-1b-math");
    mg::test::writeAdapterFolder(library + "/code-lora");

    LibraryPanel libraryPanel;
    QSignalSpy scanned(&libraryPanel, &LibraryPanel::scanFinished);
    libraryPanel.addFolder(QString::fromStdString(library));
    QVERIFY(QTest::qWaitFor([&] { return scanned.count() == 1; }, mg::test::scaledMs(10000)));

    mg::graph::Document document;
    const auto ties = document.addNode("merge.ties");
    const auto base = document.addNode("source.model");
    const auto a = document.addNode("source.model");
    const auto b = document.addNode("source.adapter");
    QVERIFY(!document.setParam(base, "path", std::string("/models/base.safetensors")));
    QVERIFY(!document.connect({base, 0}, {ties, 0}));
    QVERIFY(!document.connect({a, 0}, {ties, 1}));
    QVERIFY(!document.connect({b, 0}, {ties, 2}, 0.5));
    PropertiesPanel propertiesPanel;
    propertiesPanel.setDocument(&document);
    propertiesPanel.setNode(ties);
    // An entry being fixed, to see the inline error.
    auto* density = propertiesPanel.findChild<QLineEdit*>(QStringLiteral("param_density_input"));
    density->setText(QStringLiteral("1.5"));
    density->setModified(true);
    Q_EMIT density->editingFinished();

    // A sink with its path unset: a path editor and a problem to show.
    const auto exporter = document.addNode("sink.export");
    QVERIFY(!document.connect({ties, 0}, {exporter, 0}));
    PropertiesPanel exportPanel;
    exportPanel.setDocument(&document);
    exportPanel.setNode(exporter);

    LogPanel logPanel;
    mg::log::get("engine")->debug("plan: 4 nodes");
    mg::log::get("io")->info("opened base.safetensors (1 tensor)");
    mg::log::get("engine")->warn("embed_tokens cropped to 32000 rows");
    mg::log::get("engine")->error("TIES: input 'models 2' has no tensor 'lm_head.weight'");
    QTRY_COMPARE(logPanel.visibleLineCount(), 3);

    const struct {
      QWidget* widget;
      const char* name;
      QSize size;
    } panels[] = {{&libraryPanel, "library", {320, 560}},
                  {&propertiesPanel, "properties", {360, 720}},
                  {&exportPanel, "properties-export", {360, 480}},
                  {&logPanel, "log", {720, 200}}};
    for (const Theme theme : {Theme::Light, Theme::Dark}) {
      applyTheme(*qApp, theme);
      QCoreApplication::processEvents(); // the new palette reaches widgets through posted events
      for (const auto& panel : panels) {
        panel.widget->resize(panel.size);
        panel.widget->show();
        QVERIFY(QTest::qWaitForWindowExposed(panel.widget));
        // Fits the size a dock gives it: a minimum size above it would mean clipped or overflowing widgets.
        QCOMPARE(panel.widget->size(), panel.size);
        const QImage image = panel.widget->grab().toImage();
        const QString file =
            QStringLiteral("%1/%2-%3.png").arg(outDir, QLatin1String(panel.name), themeName(theme));
        QVERIFY(image.save(file));
        // The panel's own background, at its bottom-right corner, in the theme's window colour.
        const QColor corner = image.pixelColor(image.width() - 2, image.height() - 2);
        QVERIFY2(
            (corner.lightness() < 128) == isDark(theme),
            qPrintable(QStringLiteral("%1 %2: corner %3").arg(panel.name, themeName(theme), corner.name())));
      }
      // Problem colours follow the theme.
      auto* error = propertiesPanel.findChild<QLabel*>(QStringLiteral("paramError_density"));
      QVERIFY(error->isVisible());
      QCOMPARE(error->palette().color(QPalette::WindowText), errorColor(QApplication::palette()));
      auto* issue = exportPanel.findChild<QLabel*>(QStringLiteral("issueError"));
      QVERIFY(issue);
      QCOMPARE(issue->palette().color(QPalette::WindowText), errorColor(QApplication::palette()));
    }
  }
};

MG_TEST_MAIN(PanelScreenshotTest)
#include "test_panel_screenshots.moc"
