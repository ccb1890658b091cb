// merganser: the graphical workbench.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

#include "mainwindow/main_window.h"
#include "util/version.h"

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
                                QStringLiteral("Render the window to FILE (PNG) and exit."),
                                QStringLiteral("FILE"));
  parser.addOption(screenshot);
  parser.process(app);

  mg::ui::MainWindow window;
  window.show();
  if (parser.isSet(screenshot)) {
    const QString file = parser.value(screenshot);
    // Let the window lay itself out and paint once before grabbing it.
    QTimer::singleShot(200, &app, [&] {
      if (!window.saveScreenshot(file)) {
        std::fprintf(stderr, "%s: cannot write the screenshot\n", qPrintable(file));
        QApplication::exit(2);
        return;
      }
      QApplication::exit(0);
    });
  }
  return app.exec();
}
