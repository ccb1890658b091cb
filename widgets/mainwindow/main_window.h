#pragma once
// The workbench's main window: menus, the canvas in the centre, dockable panels around it.
#include <QMainWindow>

class QLabel;

namespace mg::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Renders the whole window into a PNG (used by `merganser --screenshot`); false on failure.
  bool saveScreenshot(const QString& file);

private:
  void createMenus();
  void createDocks();
  QLabel* engineState_ = nullptr;
};

} // namespace mg::ui
