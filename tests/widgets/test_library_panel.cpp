// The library panel as a user meets it: every node type by category, filtering, library folders scanned in
// the background (each source with its role), drag payloads, activation, and folders kept in preferences.
#include "support/test_registry.h"
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QToolButton>
#include <QUrl>
#include <QtTest>

#include <memory>

#include <QProcess>

#include "graph/node_type_registry.h"
#include "io/safetensors_writer.h"
#include "io/tensor_source.h"
#include "panels/library_mime.h"
#include "panels/library_panel.h"
#include "panels/library_tree.h"
#include "prefs/preferences.h"
#include "session/project_session.h"
#include "support/source_fixtures.h"
#include "support/temp_dir.h"
#include "support/test_time.h"

using namespace mg::ui;

namespace {

QTreeWidget* tree(LibraryPanel& panel, const char* name) {
  return panel.findChild<QTreeWidget*>(QLatin1String(name));
}

QTreeWidgetItem* findByKey(QTreeWidget* tree, const QString& key) {
  for (QTreeWidgetItemIterator it(tree); *it; ++it)
    if (keyOf(**it) == key) return *it;
  return nullptr;
}

// A library folder holding a checkpoint file, a model folder, an adapter folder and a task file, plus a
// file that is not a source and a nested checkpoint.
struct LibraryFolder {
  mg::test::TempDir dir;
  QString root = QString::fromStdString(dir.path());
  QString checkpoint = QString::fromStdString(mg::test::writeModelFile(dir.file("base.safetensors")));
  QString modelFolder = QString::fromStdString(mg::test::writeModelFolder(dir.file("llama-ft")));
  QString adapter = QString::fromStdString(mg::test::writeAdapterFolder(dir.file("math-lora")));
  QString nested = [this] {
    QDir().mkpath(root + QStringLiteral("/more"));
    return QString::fromStdString(mg::test::writeModelFile(dir.file("more/other.safetensors")));
  }();
  QString tasks = QString::fromStdString(mg::test::writeTaskFile(dir.file("digits.h5")));
  LibraryFolder() { mg::test::writeBytes(dir.file("notes.txt"), "not a model"); }
};

// Waits for the scan in flight to end (the first one, when none has finished yet).
bool waitForScan(LibraryPanel& panel, QSignalSpy& finished, int count = 1) {
  return QTest::qWaitFor([&] { return finished.count() >= count && !panel.isScanning(); },
                         mg::test::scaledMs(10000));
}

} // namespace

class LibraryPanelTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void listsEveryCategoryAndType() {
    LibraryPanel panel;
    QTreeWidget* types = tree(panel, "nodeTypeTree");
    QVERIFY(types);
    const auto& registry = mg::graph::NodeTypeRegistry::instance();
    const auto categories = registry.categories();
    QVERIFY(categories.size() >= 5);
    // The registry's categories, then the user's saved groups (hidden while there is none).
    QCOMPARE(types->topLevelItemCount(), int(categories.size()) + 1);
    for (int i = 0; i < int(categories.size()); ++i) {
      QTreeWidgetItem* category = types->topLevelItem(i);
      QCOMPARE(category->text(0), QString::fromStdString(categories[std::size_t(i)]));
      const auto typesIn = registry.typesIn(categories[std::size_t(i)]);
      QCOMPARE(category->childCount(), int(typesIn.size()));
      for (int j = 0; j < category->childCount(); ++j) {
        QTreeWidgetItem* item = category->child(j);
        const mg::graph::NodeType* type = typesIn[std::size_t(j)];
        QCOMPARE(keyOf(*item), QString::fromStdString(type->id));
        QCOMPARE(item->text(0), QString::fromStdString(type->title));
        QVERIFY(item->toolTip(0).contains(QString::fromStdString(type->help).toHtmlEscaped()));
        QCOMPARE(item->toolTip(0).contains(QStringLiteral("Cannot run in this version")),
                 !type->notRunnable.empty());
      }
    }
    QVERIFY(findByKey(types, QStringLiteral("merge.ties")));
    // Fisher merging runs (on a Tasks input): nothing says it cannot.
    const QTreeWidgetItem* fisher = findByKey(types, QStringLiteral("merge.fisher"));
    QVERIFY(fisher);
    QVERIFY(!fisher->toolTip(0).contains(QStringLiteral("Cannot run in this version")));
  }

  void filterShowsOnlyMatchingTypes() {
    LibraryPanel panel;
    QTreeWidget* types = tree(panel, "nodeTypeTree");
    auto* filter = panel.findChild<QLineEdit*>(QStringLiteral("libraryFilter"));
    QVERIFY(filter);
    QTest::keyClicks(filter, QStringLiteral("ties"));
    QVERIFY(!findByKey(types, QStringLiteral("merge.ties"))->isHidden());
    QVERIFY(!findByKey(types, QStringLiteral("merge.dare_ties"))->isHidden());
    QVERIFY(findByKey(types, QStringLiteral("merge.linear"))->isHidden());
    QVERIFY(findByKey(types, QStringLiteral("source.model"))->isHidden());
    for (int i = 0; i < types->topLevelItemCount(); ++i) {
      QTreeWidgetItem* category = types->topLevelItem(i);
      if (category->text(0) == QLatin1String("Sources")) QVERIFY(category->isHidden());
      if (category->text(0) == QLatin1String("Merge")) QVERIFY(!category->isHidden());
    }
    filter->clear();
    QVERIFY(!findByKey(types, QStringLiteral("source.model"))->isHidden());
  }

  void scansAFolderInTheBackground() {
    LibraryFolder folder;
    LibraryPanel panel;
    QSignalSpy finished(&panel, &LibraryPanel::scanFinished);
    panel.addFolder(folder.root);
    QVERIFY(waitForScan(panel, finished));

    QTreeWidget* sources = tree(panel, "sourceTree");
    QCOMPARE(sources->topLevelItemCount(), 1);
    QTreeWidgetItem* top = sources->topLevelItem(0);
    QCOMPARE(entryOf(*top), LibraryEntry::Folder);
    QCOMPARE(keyOf(*top), folder.root);
    QCOMPARE(top->childCount(), 5); // not notes.txt

    const struct {
      QString path;
      mg::io::SourceRole role;
      QString label;
    } expected[] = {{folder.checkpoint, mg::io::SourceRole::Model, QStringLiteral("model")},
                    {folder.modelFolder, mg::io::SourceRole::Model, QStringLiteral("model")},
                    {folder.adapter, mg::io::SourceRole::Adapter, QStringLiteral("adapter")},
                    {folder.nested, mg::io::SourceRole::Model, QStringLiteral("model")},
                    {folder.tasks, mg::io::SourceRole::Tasks, QStringLiteral("task data")}};
    for (const auto& e : expected) {
      QTreeWidgetItem* item = findByKey(sources, e.path);
      QVERIFY2(item, qPrintable(e.path));
      QCOMPARE(entryOf(*item), LibraryEntry::Source);
      QCOMPARE(mg::io::SourceRole(item->data(0, library_roles::kSourceRole).toInt()), e.role);
      QCOMPARE(item->text(1), e.label);
      QCOMPARE(item->toolTip(0), QDir::toNativeSeparators(e.path));
    }
    QCOMPARE(findByKey(sources, folder.nested)->text(0), QStringLiteral("more/other.safetensors"));
  }

  void rescanFindsNewFilesAndReportsMissingFolders() {
    LibraryFolder folder;
    LibraryPanel panel;
    QSignalSpy finished(&panel, &LibraryPanel::scanFinished);
    panel.setFolders({folder.root, folder.root + QStringLiteral("/gone")});
    QVERIFY(waitForScan(panel, finished));
    QTreeWidget* sources = tree(panel, "sourceTree");
    QCOMPARE(sources->topLevelItemCount(), 2);
    QCOMPARE(sources->topLevelItem(1)->child(0)->text(0), QStringLiteral("folder not found"));

    const QString added =
        QString::fromStdString(mg::test::writeModelFile(folder.dir.file("new.safetensors")));
    QVERIFY(!findByKey(sources, added));
    panel.findChild<QToolButton*>(QStringLiteral("rescanButton"))->click();
    QVERIFY(waitForScan(panel, finished, 2));
    QVERIFY(findByKey(sources, added));
  }

  void dragCarriesTheNodeTypeId() {
    LibraryPanel panel;
    QTreeWidgetItem* ties = findByKey(tree(panel, "nodeTypeTree"), QStringLiteral("merge.ties"));
    std::unique_ptr<QMimeData> data(LibraryTree::mimeDataFor(*ties));
    QVERIFY(data);
    QVERIFY(data->hasFormat(QStringLiteral("application/x-merganser-node-type")));
    QCOMPARE(data->data(QStringLiteral("application/x-merganser-node-type")), QByteArray("merge.ties"));
    QCOMPARE(mime::nodeTypeFrom(*data), QStringLiteral("merge.ties"));
    QVERIFY(!mime::sourceFrom(*data));
    // A category is not something to drop.
    QVERIFY(!LibraryTree::mimeDataFor(*ties->parent()));
  }

  void dragCarriesTheAdapterPathAndRole() {
    LibraryFolder folder;
    LibraryPanel panel;
    QSignalSpy finished(&panel, &LibraryPanel::scanFinished);
    panel.addFolder(folder.root);
    QVERIFY(waitForScan(panel, finished));
    QTreeWidgetItem* adapter = findByKey(tree(panel, "sourceTree"), folder.adapter);
    QVERIFY(adapter);
    std::unique_ptr<QMimeData> data(LibraryTree::mimeDataFor(*adapter));
    QVERIFY(data);
    const QJsonObject payload =
        QJsonDocument::fromJson(data->data(QStringLiteral("application/x-merganser-source"))).object();
    QCOMPARE(payload.value(QStringLiteral("path")).toString(), folder.adapter);
    QCOMPARE(payload.value(QStringLiteral("role")).toString(), QStringLiteral("adapter"));
    QCOMPARE(data->urls(), QList<QUrl>{QUrl::fromLocalFile(folder.adapter)});
    const auto dragged = mime::sourceFrom(*data);
    QVERIFY(dragged);
    QCOMPARE(dragged->path, folder.adapter);
    QCOMPARE(dragged->role, mg::io::SourceRole::Adapter);
    QVERIFY(!mime::nodeTypeFrom(*data));
  }

  void enterAndDoubleClickActivate() {
    LibraryFolder folder;
    LibraryPanel panel;
    panel.resize(320, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy types(&panel, &LibraryPanel::nodeTypeActivated);
    QSignalSpy sources(&panel, &LibraryPanel::sourceActivated);

    QTreeWidget* typeTree = tree(panel, "nodeTypeTree");
    typeTree->setFocus();
    typeTree->setCurrentItem(findByKey(typeTree, QStringLiteral("merge.ties")));
    QTest::keyClick(typeTree, Qt::Key_Return);
    QCOMPARE(types.count(), 1);
    QCOMPARE(types.at(0).at(0).toString(), QStringLiteral("merge.ties"));

    QSignalSpy finished(&panel, &LibraryPanel::scanFinished);
    panel.addFolder(folder.root);
    QVERIFY(waitForScan(panel, finished));
    QTreeWidget* sourceTree = tree(panel, "sourceTree");
    QTreeWidgetItem* adapter = findByKey(sourceTree, folder.adapter);
    sourceTree->scrollToItem(adapter);
    const QPoint centre = sourceTree->visualItemRect(adapter).center();
    // What a double-click is to the view: a click, then the second press that makes it a double-click.
    QTest::mouseClick(sourceTree->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(sourceTree->viewport(), Qt::LeftButton, {}, centre);
    QCOMPARE(sources.count(), 1);
    QCOMPARE(sources.at(0).at(0).toString(), folder.adapter);
  }

  void aModelUnderGitListsItsHistoryAndEachVersionOpens() {
    mg::test::TempDir dir;
    const QString root = QString::fromStdString(dir.path());
    auto git = [&](const QStringList& args) {
      QProcess process;
      QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
      env.insert("GIT_CONFIG_GLOBAL", "/dev/null");
      env.insert("GIT_CONFIG_NOSYSTEM", "1");
      env.insert("GIT_AUTHOR_NAME", "Ada Contributor");
      env.insert("GIT_AUTHOR_EMAIL", "ada@example.org");
      env.insert("GIT_COMMITTER_NAME", "Ada Contributor");
      env.insert("GIT_COMMITTER_EMAIL", "ada@example.org");
      process.setProcessEnvironment(env);
      process.setWorkingDirectory(root);
      process.start(QStringLiteral("git"), args);
      return process.waitForFinished(mg::test::scaledMs(30000)) && process.exitCode() == 0;
    };
    const std::string file = dir.file("base.safetensors");
    QVERIFY(git({"init", "-q"}));
    mg::io::writeSafetensors(file, {mg::test::rampTensor("w", {4}, 1.0f)});
    QVERIFY(git({"add", "base.safetensors"}) && git({"commit", "-q", "-m", "first base"}));
    mg::io::writeSafetensors(file, {mg::test::rampTensor("w", {4}, 2.0f)});
    QVERIFY(git({"commit", "-q", "-a", "-m", "retrained base"}));
    mg::io::writeSafetensors(file, {mg::test::rampTensor("w", {4}, 3.0f)}); // edited since: not committed

    LibraryPanel panel;
    QSignalSpy finished(&panel, &LibraryPanel::scanFinished);
    panel.addFolder(root);
    QVERIFY(waitForScan(panel, finished));
    QTreeWidgetItem* model = findByKey(tree(panel, "sourceTree"), QString::fromStdString(file));
    QVERIFY(model);
    QCOMPARE(model->childCount(), 2); // newest first
    QVERIFY(!model->isExpanded());
    QVERIFY(model->child(0)->text(0).endsWith(QStringLiteral("retrained base")));
    QVERIFY(model->child(1)->text(0).endsWith(QStringLiteral("first base")));
    QVERIFY(model->child(0)->text(0).startsWith(QDate::currentDate().toString(Qt::ISODate).left(4)));
    QVERIFY(model->child(0)->toolTip(0).contains(QStringLiteral("Ada Contributor")));
    QCOMPARE(model->child(1)->text(1).size(), 7);              // the short commit
    QCOMPARE(entryOf(*model->child(1)), LibraryEntry::Source); // drags and activates like the model
    const QString firstVersion = keyOf(*model->child(1));
    QVERIFY(firstVersion.startsWith(QString::fromStdString(file) + QLatin1Char('@')));

    // What a source node given that key reads: the model as first committed.
    const auto opened = mg::io::openTensorSource(firstVersion.toStdString());
    QCOMPARE(opened->load("w").toFloat32(), (std::vector<float>{1.0f, 1.25f, 1.5f, 1.75f}));

    // Dropped on the canvas, it is a model source named after the file and its short commit.
    ProjectSession session;
    const auto id = session.addSourceNode(firstVersion, {});
    QVERIFY(id != mg::graph::kNoNode);
    const QString shortCommit = firstVersion.section(QLatin1Char('@'), -1).left(7);
    QCOMPARE(QString::fromStdString(session.document().at(id).title),
             QStringLiteral("base @ ") + shortCommit);
    QCOMPARE(QString::fromStdString(session.document().at(id).params.at("path").get<std::string>()),
             firstVersion);
  }

  void foldersPersistInPreferences() {
    LibraryFolder folder;
    mg::test::TempDir settingsDir;
    QSettings settings(QString::fromStdString(settingsDir.file("prefs.ini")), QSettings::IniFormat);
    Preferences preferences(&settings);
    {
      LibraryPanel panel(&preferences);
      QSignalSpy changed(&panel, &LibraryPanel::foldersChanged);
      panel.addFolder(folder.root);
      panel.addFolder(folder.root); // already listed
      QCOMPARE(changed.count(), 1);
      QCOMPARE(preferences.libraryFolders(), QStringList{folder.root});
    }
    LibraryPanel reopened(&preferences);
    QCOMPARE(reopened.folders(), QStringList{folder.root});
    QSignalSpy finished(&reopened, &LibraryPanel::scanFinished);
    QVERIFY(waitForScan(reopened, finished));
    QVERIFY(findByKey(tree(reopened, "sourceTree"), folder.adapter));

    // Remove through the UI: select something inside the folder and press Remove.
    QTreeWidget* sources = tree(reopened, "sourceTree");
    sources->setCurrentItem(findByKey(sources, folder.adapter));
    reopened.findChild<QToolButton*>(QStringLiteral("removeFolderButton"))->click();
    QVERIFY(preferences.libraryFolders().isEmpty());
    QCOMPARE(sources->topLevelItemCount(), 0);
  }
};

MG_TEST_MAIN(LibraryPanelTest)
#include "test_library_panel.moc"
