// File ▸ Import mergekit YAML… opens a recipe as a new unsaved project, File ▸ Export ▸ mergekit YAML…
// writes the selected merge node's recipe: both driven through their menu actions and file dialogs.
#include "support/test_registry.h"
#include <QAction>
#include <QApplication>
#include <QFileDialog>
#include <QSettings>
#include <QTimer>
#include <QtTest>

#include <filesystem>

#include "editor/graph_scene.h"
#include "graph/builtin_node_types.h"
#include "mainwindow/main_window.h"
#include "mergekit/yaml_reader.h"
#include "prefs/preferences.h"
#include "session/project_session.h"
#include "support/temp_dir.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

// Answers the next file dialog with `file` (what a user types and accepts).
void answerFileDialog(const QString& file) {
  QTimer::singleShot(0, [file] {
    auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
    QVERIFY(dialog);
    dialog->selectFile(file);
    static_cast<QDialog*>(dialog)->accept(); // QFileDialog::accept is protected
  });
}

const char* kRecipe = R"(merge_method: ties
base_model: models/base
models:
  - model: models/a
    parameters:
      weight: 0.7
      density: [1, 0.5]
  - model: models/b
    parameters:
      weight: 0.3
      density: 0.5
parameters:
  lambda: 0.8
dtype: bfloat16
)";

} // namespace

class MergekitMenuTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void importThenExportThroughTheMenus() {
    test::TempDir dir;
    for (const char* model : {"models/base", "models/a", "models/b"})
      fs::create_directories(dir.file(model));
    test::writeBytes(dir.file("recipe.yml"), kRecipe);
    QSettings settings(QString::fromStdString(dir.file("settings.ini")), QSettings::IniFormat);
    ui::Preferences preferences(&settings);
    ui::MainWindow window(&preferences, QString::fromStdString(dir.file("recovery")));
    window.show();

    auto* importAction = window.findChild<QAction*>(QStringLiteral("importMergekitYaml"));
    auto* exportAction = window.findChild<QAction*>(QStringLiteral("exportMergekitYaml"));
    QVERIFY(importAction && exportAction);
    answerFileDialog(QString::fromStdString(dir.file("recipe.yml")));
    importAction->trigger();

    const auto& doc = window.session()->document();
    graph::NodeId merge = graph::kNoNode;
    for (const auto& [id, node] : doc.nodes())
      if (node.type == "merge.ties") merge = id;
    QVERIFY(merge != graph::kNoNode);
    QCOMPARE(doc.variadicConnected(merge), std::size_t(2));
    QCOMPARE(doc.param(merge, "rules")->get<std::string>(),
             std::string("models 1: density=grad(1.0,0.5); models 2: density=0.5"));
    QCOMPARE(doc.param(merge, "dtype")->get<std::string>(), std::string("bf16"));
    QVERIFY(window.session()->isModified());
    QVERIFY(window.session()->filePath().isEmpty()); // a new project, not the YAML file

    window.scene()->selectNodes({merge});
    answerFileDialog(QString::fromStdString(dir.file("back.yml")));
    exportAction->trigger();
    QVERIFY(fs::exists(dir.file("back.yml")));
    const auto back = mergekit::readConfig(dir.file("back.yml"));
    QCOMPARE(back.mergeMethod, std::string("ties"));
    QCOMPARE(back.models.size(), std::size_t(2));
    QCOMPARE(back.models[0].model.path, (fs::path(dir.path()) / "models/a").lexically_normal().string());
    QCOMPARE(*back.dtype, std::string("bfloat16"));
  }
};

MG_TEST_MAIN(MergekitMenuTest)
#include "test_mergekit_menu.moc"
