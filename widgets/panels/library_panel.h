#pragma once
// The library dock: what the user can put on the canvas. Node types of the registry grouped by category,
// and the models, adapters and task data found in the user's library folders (scanned in the background).
// Entries drag onto the canvas (library_mime.h) or are activated (double-click / Enter) to be added at
// its centre.
#include <QStringList>
#include <QWidget>

#include <vector>

#include "graph/node_type_registry.h"

class QLabel;
class QLineEdit;
class QAction;
class QTreeWidgetItem;

namespace mg::ui {

class LibraryTree;
class Preferences;
class SourceScanner;
struct ScannedFolder;

class LibraryPanel : public QWidget {
  Q_OBJECT
public:
  // With `preferences`, the folders are read from and saved to them; without, they live as long as the
  // panel. Scans the folders at once.
  explicit LibraryPanel(Preferences* preferences = nullptr, QWidget* parent = nullptr,
                        const graph::NodeTypeRegistry& registry = graph::NodeTypeRegistry::instance());
  ~LibraryPanel() override;

  QStringList folders() const { return folders_; }
  void setFolders(const QStringList& folders); // rescans
  void addFolder(const QString& folder);       // rescans; ignores a folder already listed
  void removeFolder(const QString& folder);    // rescans

  bool isScanning() const;

public Q_SLOTS:
  void rescan();
  void setFilterText(const QString& text);
  void chooseFolderToAdd(); // the Add folder… dialog
  void removeSelectedFolder();
  // Lists the .mggroup files of savedGroupsFolder() under "Saved groups" (after a group was saved).
  void refreshSavedGroups();

Q_SIGNALS:
  void nodeTypeActivated(const QString& typeId);
  void sourceActivated(const QString& path);
  void foldersChanged(const QStringList& folders);
  void scanFinished();

private:
  QWidget* createNodeTypeSection(const graph::NodeTypeRegistry& registry);
  QWidget* createFolderSection();
  void showScan(const std::vector<ScannedFolder>& folders);
  void activate(QTreeWidgetItem* item);
  void applyFilter();
  void updateFolderButtons();
  void storeFolders();

  Preferences* preferences_;
  QStringList folders_;
  SourceScanner* scanner_ = nullptr;
  QLineEdit* filter_ = nullptr;
  LibraryTree* nodeTypes_ = nullptr;
  QTreeWidgetItem* savedGroups_ = nullptr; // the category of saved groups in nodeTypes_
  LibraryTree* sources_ = nullptr;
  QAction* removeAction_ = nullptr;
  QLabel* scanState_ = nullptr;
};

} // namespace mg::ui
