// merganser: the graphical workbench.
//   merganser [PROJECT.mgproj]
//   merganser --screenshot FILE [--run] [PROJECT.mgproj]   render the window (after running) to a PNG and exit
#include <QApplication>
#include <QCommandLineParser>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>

#include "engine/engine_bridge.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_controller.h"
#include "util/version.h"

namespace {

int fail(const QString& message) {
  std::fprintf(stderr, "merganser: %s\n", qPrintable(message));
  return 2;
}

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
  parser.addOption(screenshot);
  parser.addOption(run);
  parser.addPositionalArgument(QStringLiteral("project"), QStringLiteral("A project file (.mgproj) to open."),
                               QStringLiteral("[PROJECT]"));
  parser.process(app);
  const bool shooting = parser.isSet(screenshot);

  mg::ui::MainWindow window;
  window.show();
  if (!parser.positionalArguments().isEmpty()) {
    const QString error = window.openProject(parser.positionalArguments().front());
    if (!error.isEmpty()) {
      if (shooting) return fail(error);
      window.statusBar()->showMessage(error);
    }
  } else if (!shooting) {
    window.offerRecovery();
  }
  if (shooting) {
    const QString file = parser.value(screenshot);
    auto shoot = [&] {
      // Let the window lay itself out and paint once more before grabbing it.
      QTimer::singleShot(300, &app, [&] {
        if (!window.saveScreenshot(file)) {
          std::fprintf(stderr, "%s: cannot write the screenshot\n", qPrintable(file));
          QApplication::exit(2);
          return;
        }
        QApplication::exit(0);
      });
    };
    if (parser.isSet(run)) {
      QObject::connect(window.runController(), &mg::ui::RunController::runFinished, &app, [&] { shoot(); });
      QTimer::singleShot(100, &app, [&] { window.runController()->runAll(); });
    } else {
      shoot();
    }
  }
  return app.exec();
}
