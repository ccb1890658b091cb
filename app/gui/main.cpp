// merganser: the graphical workbench.
//   merganser [PROJECT.mgproj]
//   merganser --screenshot FILE [--size WxH] [--run] [--results-tab TAB] [--select ID] [PROJECT.mgproj]
//       render the window (after running, with a Results tab in front) to a PNG and exit
//   merganser --language CODE ...   use this language (en, de, fr) instead of the preference or the system's
//   merganser --quit-after-first-frame [PROJECT.mgproj]
//       print "first frame" once the canvas has painted and exit (tests/bench/bench_canvas times start-up)
#include <QApplication>
#include <QCommandLineParser>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>

#include "bridge/engine_bridge.h"
#include "charts/results_panel.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "i18n/language.h"
#include "mainwindow/main_window.h"
#include "mainwindow/results_keeper.h"
#include "mainwindow/run_controller.h"
#include "prefs/preferences.h"
#include "util/version.h"

namespace {

int fail(const QString& message) {
  std::fprintf(stderr, "merganser: %s\n", qPrintable(message));
  return 2;
}

// Brings the Results tab called `name` forward; false when there is none or it is disabled (no data).
bool showResultsTab(mg::ui::MainWindow& window, const QString& name) {
  QTabWidget* tabs = window.results()->tabs();
  for (int i = 0; i < tabs->count(); ++i) {
    if (tabs->tabText(i).compare(name, Qt::CaseInsensitive) != 0) continue;
    if (!tabs->isTabEnabled(i)) return false;
    tabs->setCurrentIndex(i);
    return true;
  }
  return false;
}

// Quits once the canvas has painted its first frame: start-up ends where the user sees the graph.
class FirstFrameWatcher : public QObject {
public:
  using QObject::QObject;
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Paint && !seen_) {
      seen_ = true;
      // After this paint has finished and reached the screen.
      QTimer::singleShot(0, this, [] {
        std::printf("first frame\n");
        std::fflush(stdout);
        QApplication::exit(0);
      });
    }
    return QObject::eventFilter(watched, event);
  }

private:
  bool seen_ = false;
};

} // namespace

int main(int argc, char** argv) {
  Q_INIT_RESOURCE(merganser); // the qrc lives in the static merganser_widgets library
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Merganser"));
  QApplication::setOrganizationName(QStringLiteral("Merganser"));
  QApplication::setApplicationVersion(QString::fromLatin1(mg::kVersion));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Compose models from a base, fine-tunes and adapters."));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QStringLiteral("Render the window to FILE (PNG) after loading and exit."),
                                QStringLiteral("FILE"));
  QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Run the project before the screenshot."));
  QCommandLineOption resultsTab(
      QStringLiteral("results-tab"),
      QStringLiteral("Bring the Results tab named TAB (Compare, Sweep, Interference, "
                     "Routing, Map, Merge gain) forward before the screenshot."),
      QStringLiteral("TAB"));
  QCommandLineOption select(
      QStringLiteral("select"),
      QStringLiteral("Select node ID after loading (its properties show in the inspector)."),
      QStringLiteral("ID"));
  QCommandLineOption size(QStringLiteral("size"),
                          QStringLiteral("The window's size for the screenshot, e.g. 1600x1000."),
                          QStringLiteral("WxH"));
  QCommandLineOption firstFrame(
      QStringLiteral("quit-after-first-frame"),
      QStringLiteral("Print \"first frame\" and exit once the canvas has painted (start-up timing)."));
  QCommandLineOption language(
      QStringLiteral("language"),
      QStringLiteral("Use language CODE (en, de, fr) this time, instead of the preference or the system's."),
      QStringLiteral("CODE"));
  parser.addOption(language);
  parser.addOption(screenshot);
  parser.addOption(size);
  parser.addOption(firstFrame);
  parser.addOption(select);
  parser.addOption(run);
  parser.addOption(resultsTab);
  parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("A project file (.mgproj) to open."),
                               QStringLiteral("[PROJECT]"));
  parser.process(app);
  const bool shooting = parser.isSet(screenshot);

  // Before any widget exists: widgets take their texts when they are built.
  QString code = parser.value(language);
  if (!code.isEmpty() && mg::ui::resolveLanguage(code) != code) {
    QStringList codes;
    for (const mg::ui::Language& available : mg::ui::availableLanguages())
      codes << available.code;
    return fail(QStringLiteral("--language: no translation for \"%1\" (there are %2)")
                    .arg(code, codes.join(QStringLiteral(", "))));
  }
  if (code.isEmpty()) code = mg::ui::resolveLanguage(mg::ui::Preferences().language());
  if (!mg::ui::installLanguage(code))
    std::fprintf(stderr, "merganser: the %s catalogue is missing from this build; using English\n",
                 qPrintable(code));

  mg::ui::MainWindow window;
  if (parser.isSet(size)) {
    const QStringList parts = parser.value(size).split(QLatin1Char('x'));
    const int width = parts.size() == 2 ? parts[0].toInt() : 0;
    const int height = parts.size() == 2 ? parts[1].toInt() : 0;
    if (width < 200 || height < 200)
      return fail(QStringLiteral("--size: expected WIDTHxHEIGHT, e.g. 1600x1000"));
    window.resize(width, height);
  }
  window.show();
  if (!parser.positionalArguments().isEmpty()) {
    const QString error = window.openProject(parser.positionalArguments().front());
    if (!error.isEmpty()) {
      if (shooting) return fail(error);
      window.statusBar()->showMessage(error);
    }
  } else if (!shooting && !parser.isSet(firstFrame)) {
    window.offerRecovery();
  }
  if (parser.isSet(select)) {
    bool ok = false;
    const auto id = parser.value(select).toULongLong(&ok);
    if (ok) window.scene()->selectNodes({static_cast<mg::graph::NodeId>(id)});
    if (!ok || window.scene()->selectedItems().isEmpty()) {
      const QString error = QStringLiteral("--select: no node %1 in the project").arg(parser.value(select));
      if (shooting) return fail(error);
      window.statusBar()->showMessage(error);
    }
  }
  if (parser.isSet(firstFrame)) {
    auto* watcher = new FirstFrameWatcher(&app);
    window.view()->viewport()->installEventFilter(watcher);
  }
  if (shooting) {
    const QString file = parser.value(screenshot);
    // Called from the event loop once this block has ended: `file` is kept by value.
    auto shoot = [&, file] {
      // Let the window lay itself out and paint once more before grabbing it.
      QTimer::singleShot(300, &app, [&, file] {
        if (parser.isSet(resultsTab) && !showResultsTab(window, parser.value(resultsTab))) {
          std::fprintf(stderr, "%s: no such Results tab, or it has nothing to show\n",
                       qPrintable(parser.value(resultsTab)));
          QApplication::exit(2);
          return;
        }
        if (!window.saveScreenshot(file)) {
          std::fprintf(stderr, "%s: cannot write the screenshot\n", qPrintable(file));
          QApplication::exit(2);
          return;
        }
        QApplication::exit(0);
      });
    };
    // The results file is read and written on a worker thread: shoot once what it holds is shown.
    auto* keeper = window.resultsKeeper();
    if (parser.isSet(run)) {
      QObject::connect(window.runController(), &mg::ui::RunController::runFinished, &app,
                       [keeper, shoot] { keeper->afterDisk(shoot); });
      QTimer::singleShot(100, &app, [&] { window.runController()->runAll(); });
    } else {
      keeper->afterDisk(shoot);
    }
  }
  return app.exec();
}
