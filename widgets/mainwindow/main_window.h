#pragma once
// The workbench's main window: the node editor in the centre; the library, properties and log panels
// docked around it, with the Results dock (scores of the models evaluated, charts) beside the log; menus with
// every action and its shortcut; the engine's state in the status bar; save/open/recent files with an
// unsaved-changes guard, autosave and crash recovery; light and dark themes.
#include <QMainWindow>

#include <vector>

#include "graph/node.h"

#include <memory>

class QDockWidget;
class QLabel;
class QMenu;

namespace mg::ui {

class Autosave;
class GraphScene;
class GraphView;
class LibraryPanel;
class LogPanel;
class Preferences;
class ProjectSession;
class PropertiesPanel;
class ResultsKeeper;
class ResultsPanel;
class RunController;

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  // `preferences`: settings to use (tests pass one over a temporary file); default: the user's.
  // `recoveryFolder`: where autosave copies go (default: the app data folder).
  explicit MainWindow(Preferences* preferences = nullptr, const QString& recoveryFolder = {},
                      QWidget* parent = nullptr);
  ~MainWindow() override;

  ProjectSession* session() const { return session_; }
  GraphScene* scene() const { return scene_; }
  GraphView* view() const { return view_; }
  // Help ▸ About's text: the version and what it runs on (LibTorch, Qt, HDF5, BLAS), rich text.
  static QString aboutText();
  RunController* runController() const { return run_; }
  Autosave* autosave() const { return autosave_; }
  ResultsPanel* results() const { return results_; }
  ResultsKeeper* resultsKeeper() const { return resultsKeeper_; }

  // Opens a project without asking about unsaved changes (the command line, tests); the error or empty.
  QString openProject(const QString& path);
  // Opens a mergekit YAML recipe as a new, unsaved project (no unsaved-changes question); the error or empty.
  QString importMergekitYaml(const QString& path);
  // Writes merge node `node`'s recipe as mergekit YAML; the error or empty.
  QString exportMergekitYaml(graph::NodeId node, const QString& path);
  // Offers to restore the copy an unclean exit left behind (a dialog); true when restored.
  bool offerRecovery();
  // Renders the whole window into a PNG (used by `merganser --screenshot`); false on failure.
  bool saveScreenshot(const QString& file);

protected:
  void closeEvent(QCloseEvent* event) override;

private:
  void createDocks();
  void createMenus();
  void createFileMenu();
  void createEditMenu();
  void createViewMenu();
  void createRunMenu();
  void createHelpMenu();
  void connectPanels();
  void connectResults();
  // Selects node `id` on the canvas and scrolls it into the middle (a bar of its model was clicked).
  void showNode(quint64 id);
  // Selects the nodes still in the project and centres the first (a Merge gain point's pair).
  void showNodes(const std::vector<graph::NodeId>& ids);
  // A node of `typeId` fed by `nodes` (the map's "Merge picked"), selected and centred; kNoNode when
  // refused, the reason in the status bar.
  graph::NodeId addMergeOf(const QString& typeId, const std::vector<graph::NodeId>& nodes);
  void updateTitle();
  void updateRecentMenu();
  void applyTheme();
  // Asks what to do with unsaved changes; false when the user cancels.
  bool maybeSave();
  void newProject();
  void openWithDialog();
  void importYamlWithDialog();
  void exportYamlWithDialog();
  // The one merge node among the selected nodes; kNoNode when none or several.
  graph::NodeId selectedMergeNode() const;
  bool saveProject();
  bool saveProjectAs();
  void showError(const QString& what, const QString& message);

  Preferences* preferences_;
  std::unique_ptr<Preferences> ownedPreferences_;
  ProjectSession* session_ = nullptr;
  GraphScene* scene_ = nullptr;
  GraphView* view_ = nullptr;
  LibraryPanel* library_ = nullptr;
  PropertiesPanel* properties_ = nullptr;
  LogPanel* log_ = nullptr;
  ResultsPanel* results_ = nullptr;
  QDockWidget* resultsDock_ = nullptr;
  ResultsKeeper* resultsKeeper_ = nullptr;
  bool resultsSized_ = false; // the dock was made tall enough for charts once
  RunController* run_ = nullptr;
  Autosave* autosave_ = nullptr;
  QLabel* engineState_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
};

} // namespace mg::ui
