// `merganser-cli run PROJECT.mgproj` as a user runs it: every sink runs, each node's result is printed
// (or given as JSON), a failing node makes the exit status 1, and a bad project file is a one-line error.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <filesystem>

#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "io/safetensors_writer.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

void writeModel(const std::string& path, float value) {
  io::writeSafetensors(path, {io::TensorData::fromFloat32("w", {2, 2}, {value, value + 1, value - 1, value})});
}

// base + two fine-tunes → task arithmetic → export, saved as a project in `dir`.
std::string writeProject(const test::TempDir& dir, const std::string& second) {
  writeModel(dir.file("base.safetensors"), 0.0f);
  writeModel(dir.file("a.safetensors"), 1.0f);
  graph::Document doc;
  const auto base = doc.addNode(nt::kSourceModel);
  const auto a = doc.addNode(nt::kSourceModel);
  const auto b = doc.addNode(nt::kSourceModel);
  const auto merge = doc.addNode(graph::mergeNodeTypeId("task_arithmetic"));
  const auto exporter = doc.addNode(nt::kExport);
  doc.setParam(base, "path", dir.file("base.safetensors"));
  doc.setParam(a, "path", dir.file("a.safetensors"));
  doc.setParam(b, "path", dir.file(second));
  doc.setParam(exporter, "path", dir.file("out.safetensors"));
  doc.connect({base, 0}, {merge, 0});
  doc.connect({a, 0}, {merge, 1});
  doc.connect({b, 0}, {merge, 2});
  doc.connect({merge, 0}, {exporter, 0});
  const std::string project = dir.file("project.mgproj");
  graph::saveProject(doc, project);
  return project;
}

} // namespace

class RunCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void runsEverySinkAndReportsEachNode() {
    test::TempDir dir;
    const auto project = writeProject(dir, "a.safetensors");
    auto r = test::runCli({"run", QString::fromStdString(project)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains("'Export': done"), qPrintable(r.out));
    QVERIFY(std::filesystem::exists(dir.file("out.safetensors")));

    r = test::runCli({"run", QString::fromStdString(project), "--json"});
    QCOMPARE(r.exitCode, 0);
    const auto json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY(json["ok"].toBool());
    const auto nodes = json["nodes"].toArray();
    QCOMPARE(nodes.size(), 5);
    QCOMPARE(nodes.last().toObject()["type"].toString(), QStringLiteral("sink.export"));
    QCOMPARE(nodes.last().toObject()["state"].toString(), QStringLiteral("done"));
  }

  void aFailingNodeExitsWithOneAndNamesTheFile() {
    test::TempDir dir;
    const auto project = writeProject(dir, "missing.safetensors");
    const auto r = test::runCli({"run", QString::fromStdString(project)});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains("missing.safetensors"), qPrintable(r.out));
    QVERIFY(r.out.contains("failed"));
    QVERIFY(!std::filesystem::exists(dir.file("out.safetensors")));
  }

  void aBadProjectFileIsAOneLineError() {
    test::TempDir dir;
    test::writeBytes(dir.file("broken.mgproj"), "{\"format\": \"merganser-project\", \"version\": 1, \"nodes\": [");
    const auto r = test::runCli({"run", QString::fromStdString(dir.file("broken.mgproj"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith(QString::fromStdString(dir.file("broken.mgproj")) + ":"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
  }

  void selectsNodesAndRefusesUnknownOnes() {
    test::TempDir dir;
    const auto project = writeProject(dir, "a.safetensors");
    auto r = test::runCli({"run", QString::fromStdString(project), "--node", "4", "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["nodes"].toArray().size(), 4); // no export
    QVERIFY(!std::filesystem::exists(dir.file("out.safetensors")));
    r = test::runCli({"run", QString::fromStdString(project), "--node", "99"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("no node '99'"));
  }
};

QTEST_MAIN(RunCliTest)
#include "test_run_cli.moc"
