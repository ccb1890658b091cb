// `merganser-cli run PROJECT.mgproj` as a user runs it: every sink runs, each node's result is printed
// (or given as JSON), a failing node makes the exit status 1, a bad project file is a one-line error, and
// the scores of Evaluate nodes are saved beside the project (PROJECT.scores.h5) with what was printed.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <filesystem>
#include <stdexcept>

#include "results/results_file.h"
#include "graph/builtin_node_types.h"
#include "graph/project_file.h"
#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

void writeModel(const std::string& path, float value) {
  io::writeSafetensors(path,
                       {io::TensorData::fromFloat32("w", {2, 2}, {value, value + 1, value - 1, value})});
}

// base + two fine-tunes → `method` (the second input weighted `secondWeight`) → export, saved as a project
// in `dir`.
std::string writeProject(const test::TempDir& dir, const std::string& second,
                         const std::string& method = "task_arithmetic", double secondWeight = 1.0) {
  writeModel(dir.file("base.safetensors"), 0.0f);
  writeModel(dir.file("a.safetensors"), 1.0f);
  graph::Document doc;
  const auto base = doc.addNode(nt::kSourceModel);
  const auto a = doc.addNode(nt::kSourceModel);
  const auto b = doc.addNode(nt::kSourceModel);
  const auto merge = doc.addNode(graph::mergeNodeTypeId(method));
  const auto exporter = doc.addNode(nt::kExport);
  doc.setParam(base, "path", dir.file("base.safetensors"));
  doc.setParam(a, "path", dir.file("a.safetensors"));
  doc.setParam(b, "path", dir.file(second));
  doc.setParam(exporter, "path", dir.file("out.safetensors"));
  doc.connect({base, 0}, {merge, 0});
  doc.connect({a, 0}, {merge, 1});
  doc.connect({b, 0}, {merge, 2});
  doc.connect({merge, 0}, {exporter, 0});
  if (const auto error = doc.setInputWeight(merge, 2, secondWeight)) throw std::runtime_error(*error);
  const std::string project = dir.file("project.mgproj");
  graph::saveProject(doc, project);
  return project;
}

// A linear classifier (class 1 when x0 > x1) evaluated on two tasks it gets 4/4 and 1/4 right.
std::string writeEvalProject(const test::TempDir& dir) {
  io::writeSafetensors(dir.file("clf.safetensors"),
                       {io::TensorData::fromFloat32("head.weight", {2, 2}, {-1, 1, 1, -1}),
                        io::TensorData::fromFloat32("head.bias", {2}, {0, 0})});
  std::filesystem::create_directories(dir.file("tasks"));
  for (const auto& [name, right] : {std::pair<std::string, int>{"all", 4}, {"quarter", 1}}) {
    io::TaskData task;
    task.name = name;
    task.labelNames = {"x1 wins", "x0 wins"};
    task.inputShape = {4, 2};
    task.inputs = {2, 1, 2, 1, 1, 2, 1, 2}; // predicted 1, 1, 0, 0
    const std::vector<std::int64_t> truth = {1, 1, 0, 0};
    for (int i = 0; i < 4; ++i)
      task.labels.push_back(i < right ? truth[i] : 1 - truth[i]);
    io::writeTaskFile(dir.file("tasks/" + name + ".h5"), task);
  }
  graph::Document doc;
  const auto model = doc.addNode(nt::kSourceModel);
  const auto tasks = doc.addNode(nt::kSourceTasks);
  const auto evaluate = doc.addNode(nt::kEvaluate);
  doc.setTitle(model, "Classifier");
  doc.setParam(model, "path", dir.file("clf.safetensors"));
  doc.setParam(tasks, "path", dir.file("tasks"));
  doc.connect({model, 0}, {evaluate, 0});
  doc.connect({tasks, 0}, {evaluate, 1});
  const std::string project = dir.file("eval.mgproj");
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

  void savesTheScoresItPrintsBesideTheProject() {
    test::TempDir dir;
    const auto project = writeEvalProject(dir);
    const auto scoreFile = dir.file("eval.scores.h5");
    auto r = test::runCli({"run", QString::fromStdString(project)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains("all: accuracy 100.0%"), qPrintable(r.out));
    QVERIFY2(r.out.contains("quarter: accuracy 25.0%"), qPrintable(r.out));
    QVERIFY2(r.out.contains("scores saved to " + QString::fromStdString(scoreFile)), qPrintable(r.out));
    auto saved = results::readResultsFile(scoreFile).scores;
    QCOMPARE(saved.size(), std::size_t(1));
    QVERIFY(!saved[0].model.empty());
    QCOMPARE(saved[0].modelNode, std::uint64_t(1));
    QCOMPARE(saved[0].evaluateNode, std::uint64_t(3));
    QCOMPARE(saved[0].scores.size(), std::size_t(2));
    QCOMPARE(saved[0].scores[0].task, std::string("all"));
    QCOMPARE(saved[0].scores[0].accuracy, 1.0);
    QCOMPARE(saved[0].scores[1].accuracy, 0.25);
    QCOMPARE(saved[0].scores[1].confusion, (std::vector<std::vector<std::int64_t>>{{0, 1}, {2, 1}}));

    // Running again replaces the node's entry rather than adding one; --json names the file.
    r = test::runCli({"run", QString::fromStdString(project), "--json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["scores_file"].toString(),
             QString::fromStdString(scoreFile));
    QCOMPARE(results::readResultsFile(scoreFile).scores.size(), std::size_t(1));
  }

  // A warning the merge kernel gives for every tensor (karcher ignores unequal weights, as mergekit) is
  // in the run's report once, on the node that computed the tensors (the export): the GUI's run log
  // shows the same node warnings.
  void kernelWarningsReachTheRunReportOnce() {
    test::TempDir dir;
    io::writeSafetensors(dir.file("b.safetensors"),
                         {io::TensorData::fromFloat32("w", {2, 2}, {3, -1, 2, 5})});
    const auto project = writeProject(dir, "b.safetensors", "karcher", 3.0);
    const auto r = test::runCli({"run", QString::fromStdString(project)});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QCOMPARE(r.out.count("warning: karcher weighs every model equally"), 1);
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
    test::writeBytes(dir.file("broken.mgproj"),
                     "{\"format\": \"merganser-project\", \"version\": 1, \"nodes\": [");
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

MG_TEST_MAIN(RunCliTest)
#include "test_run_cli.moc"
