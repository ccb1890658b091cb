// The main window as a user meets it: panels and menus, opening a project, running it from the Run menu with
// badges on the nodes, an edit making a result stale and a re-run using the cache, the unsaved-work recovery
// copy, and the screenshot facility.
#include "support/test_registry.h"
#include <QDockWidget>
#include <QImage>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QtTest>

#include <filesystem>

#include "editor/graph_scene.h"
#include "editor/node_item.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "io/safetensors_writer.h"
#include "mainwindow/autosave.h"
#include "mainwindow/main_window.h"
#include "tensor/build_info.h"
#include "util/version.h"
#include "mainwindow/run_controller.h"
#include "prefs/preferences.h"
#include "session/project_session.h"
#include "support/temp_dir.h"
#include "support/test_time.h"

using namespace mg;
using State = ui::NodeBadge::State;

namespace {

void writeModel(const std::string& path, float value) {
  io::writeSafetensors(path,
                       {io::TensorData::fromFloat32("w", {2, 2}, {value, value + 1, value - 1, value})});
}

struct Fixture {
  test::TempDir dir;
  QSettings settings{QString::fromStdString(dir.file("settings.ini")), QSettings::IniFormat};
  ui::Preferences preferences{&settings};
  QString recovery = QString::fromStdString(dir.file("recovery"));
  graph::NodeId merge = 0, exporter = 0;

  // base + two fine-tunes → task arithmetic → export.
  QString writeProject() {
    writeModel(dir.file("base.safetensors"), 0.0f);
    writeModel(dir.file("a.safetensors"), 1.0f);
    writeModel(dir.file("b.safetensors"), 2.0f);
    graph::Document doc;
    namespace nt = graph::node_types;
    std::vector<graph::NodeId> sources;
    for (const char* file : {"base.safetensors", "a.safetensors", "b.safetensors"}) {
      sources.push_back(doc.addNode(nt::kSourceModel, {0, 150.0 * sources.size()}));
      doc.setParam(sources.back(), "path", dir.file(file));
    }
    merge = doc.addNode(graph::mergeNodeTypeId("task_arithmetic"), {300, 100});
    exporter = doc.addNode(nt::kExport, {600, 100});
    doc.setParam(exporter, "path", dir.file("out.safetensors"));
    doc.connect({sources[0], 0}, {merge, 0});
    doc.connect({sources[1], 0}, {merge, 1});
    doc.connect({sources[2], 0}, {merge, 2});
    doc.connect({merge, 0}, {exporter, 0});
    const std::string path = dir.file("project.mgproj");
    graph::saveProject(doc, path);
    return QString::fromStdString(path);
  }
};

State badgeOf(ui::MainWindow& w, graph::NodeId id) {
  return w.scene()->nodeItem(id)->badge().state;
}

void runAndWait(ui::MainWindow& w) {
  QSignalSpy finished(w.runController(), &ui::RunController::runFinished);
  auto* runAll = w.findChild<QAction*>(QStringLiteral("runAllAction"));
  QVERIFY(runAll);
  runAll->trigger();
  QVERIFY(finished.wait(test::scaledMs(60000)));
}

} // namespace

class MainWindowTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void opensWithPanelsAndMenus() {
    Fixture f;
    ui::MainWindow w(&f.preferences, f.recovery);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.windowTitle().contains(QStringLiteral("Merganser")));
    for (const char* dock : {"libraryDock", "propertiesDock", "logDock"})
      QVERIFY2(w.findChild<QDockWidget*>(QString::fromLatin1(dock)), dock);
    QStringList menus;
    for (auto* action : w.menuBar()->actions())
      menus << action->text();
    QCOMPARE(menus, QStringList({"&File", "&Edit", "&View", "&Run", "&Help"}));
  }

  // Help ▸ About names the versions a bug report needs, the same as merganser-cli --version.
  void aboutNamesTheLibraries() {
    const QString about = ui::MainWindow::aboutText();
    QVERIFY(about.contains(QString::fromLatin1(mg::kVersion)));
    for (const std::string& line : mg::tensor::buildInfoLines(qVersion()))
      QVERIFY2(about.contains(QString::fromStdString(line).toHtmlEscaped()), line.c_str());
    QVERIFY(about.contains(QStringLiteral("Qt %1").arg(QString::fromLatin1(qVersion()))));
    QVERIFY(about.contains(QStringLiteral("LibTorch 1.")));
    QVERIFY(about.contains(QStringLiteral("HDF5 1.")));
  }

  // A run that failed outside any node (the engine's summary carries the failure) says so with the message
  // in the status bar, not "cancelled".
  void aFailedRunSaysWhyInTheStatusBar() {
    Fixture f;
    ui::MainWindow w(&f.preferences, f.recovery);
    engine::RunSummary summary;
    summary.failure = "the disk went away";
    Q_EMIT w.runController()->engine()->finished(summary);
    QCOMPARE(w.findChild<QLabel*>(QStringLiteral("engineState"))->text(),
             QStringLiteral("Run failed: the disk went away"));
  }

  void runningAProjectBadgesItsNodesAndAnEditMakesThemStale() {
    Fixture f;
    ui::MainWindow w(&f.preferences, f.recovery);
    w.show();
    const QString project = f.writeProject();
    QCOMPARE(w.openProject(project), QString());
    QCOMPARE(f.preferences.recentFiles().value(0), project);
    runAndWait(w);
    QCOMPARE(badgeOf(w, f.exporter), State::Done);
    QCOMPARE(badgeOf(w, f.merge), State::Done);
    QVERIFY(std::filesystem::exists(f.dir.file("out.safetensors")));
    QVERIFY(w.findChild<QLabel*>(QStringLiteral("engineState"))->text().contains(QStringLiteral("finished")));

    // An edit makes the merge and what follows it stale, not the sources; the re-run reuses the sources.
    QCOMPARE(w.session()->setParam(f.merge, "lambda", 0.5), QString());
    QCOMPARE(badgeOf(w, f.merge), State::Stale);
    QCOMPARE(badgeOf(w, f.exporter), State::Stale);
    QCOMPARE(badgeOf(w, 1), State::Done);
    runAndWait(w);
    QCOMPARE(badgeOf(w, 1), State::Cached);
    QCOMPARE(badgeOf(w, f.merge), State::Done);
  }

  void aFailingNodeShowsWhy() {
    Fixture f;
    ui::MainWindow w(&f.preferences, f.recovery);
    const QString project = f.writeProject();
    std::filesystem::remove(f.dir.file("b.safetensors"));
    QCOMPARE(w.openProject(project), QString());
    runAndWait(w);
    QCOMPARE(badgeOf(w, 3), State::Failed);
    QVERIFY(w.scene()->nodeItem(3)->badge().message.contains(QStringLiteral("b.safetensors")));
    QCOMPARE(badgeOf(w, f.exporter), State::Failed);
  }

  void unsavedWorkIsRecoveredAfterACrash() {
    Fixture f;
    const QString project = f.writeProject();
    {
      ui::MainWindow w(&f.preferences, f.recovery);
      QCOMPARE(w.openProject(project), QString());
      QCOMPARE(w.session()->setTitle(f.merge, QStringLiteral("My merge")), QString());
      w.autosave()->writeNow();
      // No close: the window goes away as in a crash, leaving the recovery copy.
    }
    ui::MainWindow w(&f.preferences, f.recovery);
    const auto pending = w.autosave()->pending();
    QVERIFY(pending.has_value());
    QCOMPARE(pending->originalPath, project);
    QCOMPARE(w.session()->restore(pending->file, pending->originalPath), QString());
    QCOMPARE(QString::fromStdString(w.session()->document().at(f.merge).title), QStringLiteral("My merge"));
    QVERIFY(w.session()->isModified());
    QCOMPARE(w.session()->filePath(), project);
    // Saving puts the work in the project and removes the recovery copy.
    QCOMPARE(w.session()->save(), QString());
    QVERIFY(!w.autosave()->pending().has_value());
    QCOMPARE(graph::loadProject(project.toStdString()).at(f.merge).title, std::string("My merge"));
  }

  void screenshotWritesAPng() {
    Fixture f;
    ui::MainWindow w(&f.preferences, f.recovery);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    const QString file = QString::fromStdString(f.dir.file("shot.png"));
    QVERIFY(w.saveScreenshot(file));
    QImage image(file);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 800);
  }
};

MG_TEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
