// File ▸ Import mergekit YAML… and File ▸ Export ▸ mergekit YAML…: a recipe opens as a new, unsaved project
// (sources, the merge node with every parameter, an Export node); the selected merge node's recipe is
// written as YAML. The same translation as merganser-cli import / export-yaml (core/mergekit).
#include <QDir>
#include <QFileDialog>
#include <QStatusBar>
#include <QTemporaryDir>

#include "editor/graph_scene.h"
#include "editor/graph_view.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "mainwindow/main_window.h"
#include "mergekit/config_graph.h"
#include "mergekit/yaml_reader.h"
#include "mergekit/yaml_writer.h"
#include "qt_text.h"
#include "session/project_session.h"

namespace mg::ui {

namespace {

const QString kYamlFilter = QObject::tr("mergekit recipes (*.yml *.yaml)");

} // namespace

QString MainWindow::importMergekitYaml(const QString& path) {
  mergekit::ImportedGraph imported;
  try {
    imported = mergekit::importConfig(mergekit::readConfig(path.toStdString()),
                                      mergekit::defaultExportPath(path.toStdString()));
  } catch (const std::exception& e) {
    return qs(e.what());
  }
  // The graph becomes the session's document as unsaved work, as a recovered project does.
  QTemporaryDir staging;
  const QString file = staging.filePath(QStringLiteral("imported.mgproj"));
  try {
    graph::saveProject(imported.document, file.toStdString());
  } catch (const std::exception& e) {
    return qs(e.what());
  }
  if (QString error = session_->restore(file, QString()); !error.isEmpty()) return error;
  view_->fitAll();
  QString message = tr("Imported %1").arg(QDir::toNativeSeparators(path));
  for (const auto& warning : imported.warnings)
    message += QStringLiteral(" · ") + qs(warning);
  statusBar()->showMessage(message, 8000);
  return {};
}

QString MainWindow::exportMergekitYaml(graph::NodeId node, const QString& path) {
  try {
    mergekit::writeConfig(mergekit::exportConfig(session_->document(), node), path.toStdString());
  } catch (const std::exception& e) {
    return qs(e.what());
  }
  statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(path)), 5000);
  return {};
}

graph::NodeId MainWindow::selectedMergeNode() const {
  graph::NodeId found = graph::kNoNode;
  for (const auto id : scene_->selectedNodes()) {
    if (!graph::mergeMethodOf(session_->document().at(id).type)) continue;
    if (found != graph::kNoNode) return graph::kNoNode; // two merges: which one is meant is unclear
    found = id;
  }
  return found;
}

void MainWindow::importYamlWithDialog() {
  if (!maybeSave()) return;
  const QString path = QFileDialog::getOpenFileName(this, tr("Import mergekit YAML"), QString(), kYamlFilter);
  if (path.isEmpty()) return;
  if (const QString error = importMergekitYaml(path); !error.isEmpty())
    showError(tr("Cannot import the recipe"), error);
}

void MainWindow::exportYamlWithDialog() {
  const graph::NodeId node = selectedMergeNode();
  if (node == graph::kNoNode) {
    showError(tr("Cannot export a recipe"),
              tr("Select one merge node: its recipe is what the YAML file holds."));
    return;
  }
  QString path = QFileDialog::getSaveFileName(this, tr("Export mergekit YAML"), QString(), kYamlFilter);
  if (path.isEmpty()) return;
  if (!path.endsWith(QStringLiteral(".yml")) && !path.endsWith(QStringLiteral(".yaml")))
    path += QStringLiteral(".yml");
  if (const QString error = exportMergekitYaml(node, path); !error.isEmpty())
    showError(tr("Cannot export the recipe"), error);
}

} // namespace mg::ui
