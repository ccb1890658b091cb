// `merganser-cli eval` as a user runs it: per-task accuracy of a classifier checkpoint on task files, JSON
// output, a TorchScript archive run with the checkpoint's parameters (--torchscript), and one-line errors
// for a model that is not a classifier or a task file that is not one.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <torch/script.h>
#include <torch/torch.h>

#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

// A linear classifier on 2 inputs: class 1 when x0 > x1.
std::string writeClassifier(const test::TempDir& dir) {
  const auto path = dir.file("clf.safetensors");
  io::writeSafetensors(path, {io::TensorData::fromFloat32("head.weight", {2, 2}, {-1, 1, 1, -1}),
                              io::TensorData::fromFloat32("head.bias", {2}, {0, 0})});
  return path;
}

// Four examples of which the classifier gets `right` right.
std::string writeTask(const test::TempDir& dir, const std::string& name, int right) {
  io::TaskData task;
  task.name = name;
  task.labelNames = {"x1 wins", "x0 wins"};
  task.split = "test";
  task.inputShape = {4, 2};
  task.inputs = {2, 1, 2, 1, 1, 2, 1, 2}; // predicted 1, 1, 0, 0
  const std::vector<std::int64_t> truth = {1, 1, 0, 0};
  for (int i = 0; i < 4; ++i)
    task.labels.push_back(i < right ? truth[i] : 1 - truth[i]);
  const auto path = dir.file(name + ".h5");
  io::writeTaskFile(path, task);
  return path;
}

// The same linear classifier as TorchScript code with zero parameters: the checkpoint supplies head.*.
std::string writeArchive(const test::TempDir& dir) {
  torch::jit::Module head("CliHead");
  head.register_parameter("weight", torch::zeros({2, 2}), false);
  head.register_parameter("bias", torch::zeros({2}), false);
  torch::jit::Module net("CliNet");
  net.register_module("head", head);
  net.define(R"(
def forward(self, x):
    return torch.addmm(self.head.bias, x, self.head.weight.t())
)");
  const auto path = dir.file("clf.torchscript.pt");
  net.save(path);
  return path;
}

} // namespace

class EvalCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void printsPerTaskAccuracy() {
    test::TempDir dir;
    const auto model = QString::fromStdString(writeClassifier(dir));
    const auto all = QString::fromStdString(writeTask(dir, "all", 4));
    const auto half = QString::fromStdString(writeTask(dir, "half", 2));
    auto r = test::runCli({"eval", "--model", model, "--tasks", all, "--tasks", half});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QRegularExpression("all\\s+accuracy 1\\.0000")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression("half\\s+accuracy 0\\.5000")), qPrintable(r.out));
    QVERIFY(r.out.contains(QRegularExpression("mean\\s+accuracy 0\\.7500")));

    r = test::runCli({"eval", "--model", model, "--tasks", QString::fromStdString(dir.path()), "--json"});
    QCOMPARE(r.exitCode, 0);
    const auto json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json["tasks"].toArray().size(), 2); // the folder is a task set
    QCOMPARE(json["mean_accuracy"].toDouble(), 0.75);
    // "half": every label is 1, the last two predicted 0.
    QCOMPARE(json["tasks"].toArray()[1].toObject()["confusion"].toArray()[1].toArray()[0].toInt(), 2);
  }

  void runsATorchScriptArchiveWithTheCheckpoint() {
    test::TempDir dir;
    const auto model = QString::fromStdString(writeClassifier(dir));
    const auto half = QString::fromStdString(writeTask(dir, "half", 2));
    const auto archive = QString::fromStdString(writeArchive(dir));
    auto r = test::runCli({"eval", "--model", model, "--tasks", half, "--torchscript", archive, "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["mean_accuracy"].toDouble(), 0.5);
    // A checkpoint without the archive's parameters: one line naming them.
    io::writeSafetensors(dir.file("other.safetensors"), {io::TensorData::fromFloat32("w", {2}, {1, 2})});
    r = test::runCli({"eval", "--model", QString::fromStdString(dir.file("other.safetensors")), "--tasks",
                      half, "--torchscript", archive});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("missing from the checkpoint: head.weight, head.bias"), qPrintable(r.err));
    QVERIFY2(r.err.startsWith(QString::fromStdString(dir.file("other.safetensors")) + " does not fit"),
             qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
  }

  void badInputIsAOneLineError() {
    test::TempDir dir;
    const auto model = QString::fromStdString(writeClassifier(dir));
    auto r = test::runCli({"eval", "--model", model, "--tasks", model});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.startsWith(model + ":"), qPrintable(r.err));
    io::writeSafetensors(dir.file("notclf.safetensors"), {io::TensorData::fromFloat32("w", {2}, {1, 2})});
    r = test::runCli({"eval", "--model", QString::fromStdString(dir.file("notclf.safetensors")), "--tasks",
                      QString::fromStdString(writeTask(dir, "t", 4))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("no head.weight"), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
  }
};

MG_TEST_MAIN(EvalCliTest)
#include "test_eval_cli.moc"
