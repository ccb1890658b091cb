// The main window's menus: every action with its shortcut, so the shortcuts are discoverable.
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QUndoStack>

#include "editor/annotation_actions.h"
#include "editor/graph_view.h"
#include "mainwindow/autosave.h"
#include "mainwindow/main_window.h"
#include "mainwindow/run_controller.h"
#include "prefs/preferences.h"
#include "prefs/preferences_dialog.h"
#include "session/project_session.h"
#include "theme/theme.h"
#include "help/user_guide_window.h"
#include "tensor/build_info.h"
#include "util/version.h"

namespace mg::ui {

namespace {

const QString kProjectFilter = QObject::tr("Merganser projects (*.mgproj)");

} // namespace

void MainWindow::createMenus() {
  createFileMenu();
  createEditMenu();
  createViewMenu();
  createRunMenu();
  createHelpMenu();
}

void MainWindow::createFileMenu() {
  auto* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&New Project"), QKeySequence::New, this, &MainWindow::newProject);
  file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::openWithDialog);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  recentMenu_->setObjectName(QStringLiteral("recentMenu"));
  updateRecentMenu();
  file->addSeparator();
  file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::saveProject);
  file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, &MainWindow::saveProjectAs);
  file->addSeparator();
  file->addAction(tr("&Import mergekit YAML…"), this, &MainWindow::importYamlWithDialog)
      ->setObjectName(QStringLiteral("importMergekitYaml"));
  auto* exportMenu = file->addMenu(tr("&Export"));
  exportMenu->addAction(tr("&mergekit YAML…"), this, &MainWindow::exportYamlWithDialog)
      ->setObjectName(QStringLiteral("exportMergekitYaml"));
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::createEditMenu() {
  auto* edit = menuBar()->addMenu(tr("&Edit"));
  auto* undo = session_->undoStack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  auto* redo = session_->undoStack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
  edit->addAction(undo);
  edit->addAction(redo);
  edit->addSeparator();
  edit->addActions(view_->editActions());
  edit->addSeparator();
  edit->addActions(view_->groupActions());
  edit->addSeparator();
  edit->addActions(view_->annotationActions()->actions());
  edit->addSeparator();
  auto* preferences = edit->addAction(tr("&Preferences…"), this, [this] {
    PreferencesDialog dialog(preferences_, this);
    dialog.exec();
  });
  preferences->setShortcut(QKeySequence::Preferences);
  preferences->setMenuRole(QAction::PreferencesRole);
}

void MainWindow::createViewMenu() {
  viewMenu_ = menuBar()->addMenu(tr("&View"));
  viewMenu_->addActions(view_->viewActions());
  viewMenu_->addSeparator();
  for (auto* dock : findChildren<QDockWidget*>())
    viewMenu_->addAction(dock->toggleViewAction());
  viewMenu_->addSeparator();
  auto* themes = viewMenu_->addMenu(tr("&Theme"));
  auto* group = new QActionGroup(this);
  for (const Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
    auto* action = themes->addAction(themeTitle(theme));
    action->setCheckable(true);
    action->setChecked(preferences_->theme() == theme);
    group->addAction(action);
    connect(action, &QAction::triggered, this, [this, theme] { preferences_->setTheme(theme); });
  }
}

void MainWindow::createRunMenu() {
  auto* runMenu = menuBar()->addMenu(tr("&Run"));
  auto* all = runMenu->addAction(tr("&Run All"), run_, &RunController::runAll);
  all->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::Key_F5)});
  all->setObjectName(QStringLiteral("runAllAction"));
  auto* selected = runMenu->addAction(tr("Run &Selected"), run_, &RunController::runSelected);
  selected->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
  auto* cancel = runMenu->addAction(tr("&Cancel"), run_, &RunController::cancel);
  cancel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
  cancel->setEnabled(false);
  runMenu->addSeparator();
  runMenu->addAction(tr("Clear Cached &Results"), run_, &RunController::clearCache);
  connect(run_, &RunController::runningChanged, this, [all, selected, cancel](bool running) {
    all->setEnabled(!running);
    selected->setEnabled(!running);
    cancel->setEnabled(running);
  });
}

void MainWindow::createHelpMenu() {
  auto* help = menuBar()->addMenu(tr("&Help"));
  auto* guide = help->addAction(tr("&User Guide"), this, [this] {
    auto* window = new UserGuideWindow(this);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->show();
  });
  guide->setShortcut(QKeySequence::HelpContents);
  guide->setObjectName(QStringLiteral("userGuideAction"));
  help->addAction(tr("&About Merganser"), this,
                  [this] { QMessageBox::about(this, tr("About Merganser"), aboutText()); });
}

QString MainWindow::aboutText() {
  QStringList builtOn;
  for (const std::string& line : tensor::buildInfoLines(qVersion()))
    builtOn << QString::fromStdString(line).toHtmlEscaped();
  builtOn.removeFirst(); // the version, said in the first sentence
  return tr("<p>Merganser %1 — a workbench for composing models from a base model, fine-tunes and "
            "adapters.</p><p>Built on:<br>%2</p>")
      .arg(QString::fromLatin1(mg::kVersion), builtOn.join(QStringLiteral("<br>")));
}

void MainWindow::updateRecentMenu() {
  if (!recentMenu_) return;
  recentMenu_->clear();
  const auto files = preferences_->recentFiles();
  for (int i = 0; i < files.size(); ++i) {
    const QString path = files[i];
    auto* action =
        recentMenu_->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
    action->setToolTip(path);
    connect(action, &QAction::triggered, this, [this, path] {
      if (!maybeSave()) return;
      const QString error = openProject(path);
      if (!error.isEmpty()) showError(tr("Cannot open the project"), error);
    });
  }
  if (!files.isEmpty()) {
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear List"), preferences_, &Preferences::clearRecentFiles);
  }
  recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::newProject() {
  if (!maybeSave()) return;
  session_->newProject();
  autosave_->discard();
}

void MainWindow::openWithDialog() {
  if (!maybeSave()) return;
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(), kProjectFilter);
  if (path.isEmpty()) return;
  const QString error = openProject(path);
  if (!error.isEmpty()) showError(tr("Cannot open the project"), error);
}

bool MainWindow::saveProject() {
  if (session_->filePath().isEmpty()) return saveProjectAs();
  const QString error = session_->save();
  if (!error.isEmpty()) {
    showError(tr("Cannot save the project"), error);
    return false;
  }
  statusBar()->showMessage(tr("Saved %1").arg(session_->filePath()), 4000);
  return true;
}

bool MainWindow::saveProjectAs() {
  QString path =
      QFileDialog::getSaveFileName(this, tr("Save Project As"), session_->filePath(), kProjectFilter);
  if (path.isEmpty()) return false;
  if (!path.endsWith(QStringLiteral(".mgproj"))) path += QStringLiteral(".mgproj");
  const QString error = session_->saveAs(path);
  if (!error.isEmpty()) {
    showError(tr("Cannot save the project"), error);
    return false;
  }
  return true;
}

} // namespace mg::ui
