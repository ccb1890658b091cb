#include "mainwindow/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QPixmap>
#include <QStatusBar>
#include <QUndoStack>

#include "charts/compare_view.h"
#include "charts/results_panel.h"
#include "charts/search_view.h"
#include "editor/annotation_layer.h"
#include "editor/editor_style.h"
#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "editor/node_item.h"
#include "mainwindow/autosave.h"
#include "mainwindow/results_keeper.h"
#include "mainwindow/run_controller.h"
#include "panels/library_panel.h"
#include "panels/log_panel.h"
#include "panels/properties_panel.h"
#include "prefs/preferences.h"
#include "i18n/core_text.h"
#include "session/document_signals.h"
#include "session/project_session.h"
#include "theme/theme.h"

namespace mg::ui {

MainWindow::MainWindow(Preferences* preferences, const QString& recoveryFolder, QWidget* parent)
    : QMainWindow(parent), preferences_(preferences) {
  if (!preferences_) {
    ownedPreferences_ = std::make_unique<Preferences>();
    preferences_ = ownedPreferences_.get();
  }
  setWindowIcon(QIcon(QStringLiteral(":/icons/merganser.svg")));
  resize(1400, 860);

  session_ = new ProjectSession(this);
  scene_ = new GraphScene(session_, this);
  view_ = new GraphView(scene_, this);
  view_->setObjectName(QStringLiteral("canvas"));
  setCentralWidget(view_);
  engineState_ = new QLabel(tr("Engine idle"), this);
  engineState_->setObjectName(QStringLiteral("engineState"));
  statusBar()->addPermanentWidget(engineState_);
  run_ = new RunController(session_, scene_, engineState_, this);
  // The cache limit applies without a restart, also to a run in progress.
  const auto applyCacheLimit = [this](qint64 mib) { run_->engine()->setCacheLimit(quint64(mib) << 20); };
  applyCacheLimit(preferences_->cacheLimitMiB());
  connect(preferences_, &Preferences::cacheLimitChanged, this, applyCacheLimit);
  autosave_ = new Autosave(session_, recoveryFolder, this);

  createDocks();
  createMenus();
  connectPanels();
  connectResults();
  applyTheme();
  updateTitle();
  restoreGeometry(preferences_->windowGeometry());
  restoreState(preferences_->windowState());
  statusBar()->showMessage(tr("Drag models and adapters from the library, or press Space to add a node"),
                           8000);
}

MainWindow::~MainWindow() {
  // Views, the engine and autosave before the session they observe (Qt would delete children in creation
  // order). Autosave first: tearing the session down signals "unmodified", which must not discard the copy.
  delete autosave_;
  delete run_;
  delete view_;
  delete scene_;
  // Qt deletes the session with the other children after this body, when this is only a QWidget; what it
  // signals while tearing down (its undo stack emptying revalidates the graph) must reach no panel or window.
  session_->blockSignals(true);
  session_->documentSignals()->blockSignals(true);
}

void MainWindow::createDocks() {
  auto dock = [this](const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(widget);
    addDockWidget(area, d);
    return d;
  };
  library_ = new LibraryPanel(preferences_, this);
  dock(tr("Library"), QStringLiteral("libraryDock"), library_, Qt::LeftDockWidgetArea);
  properties_ = new PropertiesPanel(this);
  properties_->setDocument(&session_->document());
  // Wide enough for a field beside its label and a readable line of help under it; the dock started at its
  // narrow size hint, clipping both.
  properties_->setMinimumWidth(340);
  dock(tr("Properties"), QStringLiteral("propertiesDock"), properties_, Qt::RightDockWidgetArea);
  log_ = new LogPanel(this);
  auto* logDock = dock(tr("Log"), QStringLiteral("logDock"), log_, Qt::BottomDockWidgetArea);
  results_ = new ResultsPanel(this);
  resultsDock_ = dock(tr("Results"), QStringLiteral("resultsDock"), results_, Qt::BottomDockWidgetArea);
  tabifyDockWidget(logDock, resultsDock_);
  logDock->raise();
  resizeDocks({logDock}, {140}, Qt::Vertical);
  resultsKeeper_ = new ResultsKeeper(session_, results_, this);
}

void MainWindow::connectResults() {
  connect(run_, &RunController::runFinished, resultsKeeper_, &ResultsKeeper::takeRun);
  connect(resultsKeeper_, &ResultsKeeper::runSaved, this, [this](const QString& error) {
    if (!error.isEmpty()) statusBar()->showMessage(tr("Scores not saved: %1").arg(error), 10000);
  });
  // Scores arriving bring the dock forward, tall enough for a chart the first time.
  connect(resultsKeeper_, &ResultsKeeper::resultsShown, this, [this] {
    resultsDock_->show();
    resultsDock_->raise();
    if (!resultsSized_ && resultsDock_->height() < 280) resizeDocks({resultsDock_}, {330}, Qt::Vertical);
    resultsSized_ = true;
  });
  connect(run_, &RunController::partialResults, this,
          [this](const std::vector<engine::ScatterValue>& scatters,
                 const std::vector<engine::MatrixValue>& matrices) {
            results_->showPartialResults(scatters, matrices);
            resultsDock_->show();
          });
  connect(run_, &RunController::runFinished, this, [this](const engine::RunSummary& summary) {
    for (const auto id : summary.order) {
      const auto it = summary.nodes.find(id);
      if (it != summary.nodes.end() && !it->second.searchWinners.empty())
        results_->searchView()->setWinner(it->second.searchWinners.front());
    }
  });
  connect(
      results_->searchView(), &SearchView::addWinnerRequested, this,
      [this](const engine::SearchWinnerValue& winner) {
        QString error;
        const auto id = session_->addSearchWinner(winner, &error);
        if (id == graph::kNoNode) {
          statusBar()->showMessage(tr("The winner was not added: %1").arg(error), 8000);
          return;
        }
        showNode(id);
        statusBar()->showMessage(
            tr("Added '%1': feed it to an Evaluate or Export node").arg(nodeTitle(session_->document(), id)),
            8000);
      });
  connect(results_, &ResultsPanel::nodeActivated, this, &MainWindow::showNode);
  connect(results_, &ResultsPanel::nodesActivated, this, &MainWindow::showNodes);
  connect(
      results_, &ResultsPanel::mergeRequested, this,
      [this](const QString& typeId, const std::vector<graph::NodeId>& nodes) { addMergeOf(typeId, nodes); });
  connect(scene_, &GraphScene::selectedNodesChanged, results_,
          [this](const std::vector<graph::NodeId>& nodes) {
            results_->compareView()->highlightNodes(std::vector<quint64>(nodes.begin(), nodes.end()));
          });
  connect(session_->documentSignals(), &DocumentSignals::documentWasReset, resultsKeeper_,
          [this] { resultsKeeper_->clear(); });
}

void MainWindow::showNode(quint64 id) {
  auto* item = scene_->nodeItem(id);
  if (!item) {
    statusBar()->showMessage(tr("That model's node (%1) is no longer in the project").arg(id), 6000);
    return;
  }
  scene_->selectNodes({id});
  view_->centerOn(item);
}

void MainWindow::showNodes(const std::vector<graph::NodeId>& ids) {
  std::vector<graph::NodeId> present;
  for (const auto id : ids)
    if (scene_->nodeItem(id)) present.push_back(id);
  if (present.empty()) {
    statusBar()->showMessage(tr("Those nodes are no longer in the project"), 6000);
    return;
  }
  scene_->selectNodes(present);
  view_->centerOn(scene_->nodeItem(present.front()));
}

graph::NodeId MainWindow::addMergeOf(const QString& typeId, const std::vector<graph::NodeId>& nodes) {
  QString error;
  const auto id = session_->addNodeFedBy(typeId, nodes, std::nullopt, &error);
  if (id == graph::kNoNode) {
    statusBar()->showMessage(tr("No merge made: %1").arg(error), 8000);
    return id;
  }
  showNode(id);
  statusBar()->showMessage(tr("%1 of %n picked specialist(s) added; feed it to an Evaluate node to score it",
                              "", int(nodes.size()))
                               .arg(nodeTitle(session_->document(), id)),
                           8000);
  return id;
}

void MainWindow::connectPanels() {
  connect(scene_, &GraphScene::selectedNodesChanged, this, [this](const std::vector<graph::NodeId>& nodes) {
    properties_->setNode(nodes.size() == 1 ? nodes.front() : graph::kNoNode);
  });
  // A frame or comment selected alone shows its own page (after the nodes' handler above).
  connect(scene_, &QGraphicsScene::selectionChanged, this, [this] {
    const auto notes = scene_->annotationLayer()->selectedAnnotations();
    if (notes.size() == 1 && scene_->selectedNodes().empty()) properties_->setAnnotation(notes.front());
  });
  connect(properties_, &PropertiesPanel::frameEditRequested, this,
          [this](const graph::Frame& frame) { session_->editFrame(frame); });
  connect(properties_, &PropertiesPanel::commentEditRequested, this,
          [this](const graph::Comment& comment) { session_->editComment(comment); });
  connect(session_->documentSignals(), &DocumentSignals::annotationsWereChanged, properties_,
          [this] { properties_->refresh(); });
  auto report = [this](const QString& error) {
    if (!error.isEmpty()) statusBar()->showMessage(error, 8000);
  };
  connect(properties_, &PropertiesPanel::paramEditRequested, this,
          [this, report](graph::NodeId node, const QString& name, const graph::ParamValue& value) {
            report(session_->setParam(node, name.toStdString(), value));
          });
  connect(
      properties_, &PropertiesPanel::titleEditRequested, this,
      [this, report](graph::NodeId node, const QString& title) { report(session_->setTitle(node, title)); });
  connect(properties_, &PropertiesPanel::inputWeightEditRequested, this,
          [this, report](graph::NodeId node, std::size_t input, double weight) {
            report(session_->setInputWeight(node, input, weight));
          });
  // The panel re-reads the document after any change (undo included) and when the document is replaced.
  auto* changes = session_->documentSignals();
  auto refresh = [this] { properties_->refresh(); };
  connect(changes, &DocumentSignals::paramWasChanged, properties_, refresh);
  connect(changes, &DocumentSignals::titleWasChanged, properties_, refresh);
  connect(changes, &DocumentSignals::inputsWereChanged, properties_, refresh);
  connect(changes, &DocumentSignals::inputWeightWasChanged, properties_, refresh);
  connect(changes, &DocumentSignals::nodeWasRemoved, properties_, [this](graph::NodeId id) {
    if (properties_->node() == id) properties_->setNode(graph::kNoNode);
  });
  connect(changes, &DocumentSignals::documentWasReset, properties_,
          [this] { properties_->setNode(graph::kNoNode); });
  connect(session_, &ProjectSession::issuesChanged, properties_, [this] { properties_->refresh(); });

  // Library entries activated (double-click, Enter) land in the middle of the canvas.
  auto centre = [this] { return view_->mapToScene(view_->viewport()->rect().center()); };
  connect(library_, &LibraryPanel::nodeTypeActivated, this, [this, centre, report](const QString& type) {
    QString error;
    session_->addNode(type, centre(), {}, &error);
    report(error);
  });
  connect(library_, &LibraryPanel::sourceActivated, this, [this, centre, report](const QString& path) {
    QString error;
    session_->addSourceNode(path, centre(), &error);
    report(error);
  });

  connect(view_, &GraphView::statusMessage, this,
          [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(view_, &GraphView::groupSaved, library_, &LibraryPanel::refreshSavedGroups);
  connect(scene_, &GraphScene::statusMessage, this,
          [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(run_, &RunController::statusMessage, this,
          [this](const QString& text) { statusBar()->showMessage(text, 6000); });
  connect(session_, &ProjectSession::filePathChanged, this, [this](const QString& path) {
    if (!path.isEmpty()) preferences_->addRecentFile(path);
    updateTitle();
  });
  connect(session_, &ProjectSession::modifiedChanged, this, &MainWindow::updateTitle);
  connect(preferences_, &Preferences::recentFilesChanged, this, &MainWindow::updateRecentMenu);
  connect(preferences_, &Preferences::themeChanged, this, &MainWindow::applyTheme);
}

void MainWindow::updateTitle() {
  const QString path = session_->filePath();
  const QString name = path.isEmpty() ? tr("Untitled") : QFileInfo(path).fileName();
  // "[*]": Qt shows the modified mark there ("demo.mgproj* — Merganser") and tells the platform.
  setWindowTitle(QStringLiteral("%1[*] — Merganser").arg(name));
  setWindowFilePath(path);
  setWindowModified(session_->isModified());
}

void MainWindow::applyTheme() {
  if (auto* app = qobject_cast<QApplication*>(QCoreApplication::instance()))
    ui::applyTheme(*app, preferences_->theme());
  scene_->setStyle(isDark(palette()) || isDark(preferences_->theme()) ? EditorStyle::dark()
                                                                      : EditorStyle::light());
}

QString MainWindow::openProject(const QString& path) {
  const QString error = session_->load(path);
  if (error.isEmpty()) {
    view_->fitAll();
    resultsKeeper_->loadSaved(path);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
  }
  return error;
}

bool MainWindow::offerRecovery() {
  const auto recovery = autosave_->pending();
  if (!recovery) return false;
  const auto answer = QMessageBox::question(
      this, tr("Restore unsaved work?"),
      tr("Merganser did not close normally last time. Restore the unsaved project%1?")
          .arg(recovery->originalPath.isEmpty() ? QString() : tr(" (%1)").arg(recovery->originalPath)),
      QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
  if (answer != QMessageBox::Yes) {
    autosave_->discard();
    return false;
  }
  const QString error = session_->restore(recovery->file, recovery->originalPath);
  if (!error.isEmpty()) {
    showError(tr("Cannot restore the project"), error);
    return false;
  }
  view_->fitAll();
  resultsKeeper_->loadSaved(recovery->originalPath);
  return true;
}

bool MainWindow::maybeSave() {
  if (!session_->isModified()) return true;
  const auto answer =
      QMessageBox::warning(this, tr("Unsaved changes"), tr("The project has unsaved changes. Save them?"),
                           QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
  if (answer == QMessageBox::Cancel) return false;
  if (answer == QMessageBox::Save) return saveProject();
  return true;
}

void MainWindow::showError(const QString& what, const QString& message) {
  QMessageBox::warning(this, what, message);
  statusBar()->showMessage(message, 10000);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!maybeSave()) {
    event->ignore();
    return;
  }
  run_->cancel();
  autosave_->discard();
  preferences_->setWindowGeometry(saveGeometry());
  preferences_->setWindowState(saveState());
  event->accept();
}

bool MainWindow::saveScreenshot(const QString& file) {
  return grab().save(file, "PNG");
}

} // namespace mg::ui
