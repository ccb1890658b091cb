#include "mainwindow/main_window.h"

#include <QApplication>
#include <QDockWidget>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QStatusBar>

#include "util/version.h"

namespace mg::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Merganser"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/merganser.svg")));
  resize(1280, 800);

  auto* scene = new QGraphicsScene(this);
  auto* canvas = new QGraphicsView(scene, this);
  canvas->setObjectName(QStringLiteral("canvas"));
  canvas->setRenderHint(QPainter::Antialiasing);
  canvas->setBackgroundBrush(QColor(0x26, 0x2a, 0x30));
  setCentralWidget(canvas);

  createMenus();
  createDocks();
  engineState_ = new QLabel(tr("Engine idle"), this);
  statusBar()->addPermanentWidget(engineState_);
  statusBar()->showMessage(tr("Ready"));
}

void MainWindow::createMenus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
  auto* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Merganser"), this, [this] {
    QMessageBox::about(this, tr("About Merganser"),
                       tr("Merganser %1 — a workbench for composing models from a base model, "
                          "fine-tunes and adapters.")
                           .arg(QString::fromLatin1(mg::kVersion)));
  });
}

void MainWindow::createDocks() {
  auto* library = new QDockWidget(tr("Library"), this);
  library->setObjectName(QStringLiteral("libraryDock"));
  library->setWidget(new QListWidget(library));
  addDockWidget(Qt::LeftDockWidgetArea, library);

  auto* log = new QDockWidget(tr("Log"), this);
  log->setObjectName(QStringLiteral("logDock"));
  auto* logView = new QPlainTextEdit(log);
  logView->setReadOnly(true);
  log->setWidget(logView);
  addDockWidget(Qt::BottomDockWidgetArea, log);
}

bool MainWindow::saveScreenshot(const QString& file) { return grab().save(file, "PNG"); }

} // namespace mg::ui
