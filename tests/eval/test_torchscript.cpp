// User models as TorchScript archives: the archive (built here in C++, as torch.jit.save would) brings the
// code, the checkpoint the weights. Scores match a computation by hand with the checkpoint's values (the
// archive's own are zeros), a forward(x, task) gets the task's name, an archive beside config.json or named
// on the Evaluate node is used, and a checkpoint that does not fit lists the missing names and shape
// mismatches.
#include "support/test_registry.h"
#include <QtTest>

#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "engine/graph_executor.h"
#include "weights/open_weights.h"
#include "eval/classifier.h"
#include "eval/evaluation.h"
#include "graph/builtin_node_types.h"
#include "io/hf_model_folder.h"
#include "io/io_error.h"
#include "io/safetensors_writer.h"
#include "io/task_file.h"
#include "support/temp_dir.h"

using namespace mg;
namespace nt = graph::node_types;

namespace {

torch::jit::Module linear(const std::string& type, std::int64_t out, std::int64_t in) {
  torch::jit::Module m(type);
  m.register_parameter("weight", torch::zeros({out, in}), false);
  m.register_parameter("bias", torch::zeros({out}), false);
  return m;
}

// fc1: 4 -> 3, ReLU, head: 3 -> 2, all parameters zero. With `taskArgument`, forward(x, task) negates the
// logits for the task "flipped".
std::string writeArchive(const std::string& path, bool taskArgument = false) {
  torch::jit::Module net("UserNet");
  net.register_module("fc1", linear("UserFc1", 3, 4));
  net.register_module("head", linear("UserHead", 2, 3));
  if (taskArgument) {
    net.define(R"(
def forward(self, x, task: str):
    h = torch.relu(torch.addmm(self.fc1.bias, x.flatten(1), self.fc1.weight.t()))
    logits = torch.addmm(self.head.bias, h, self.head.weight.t())
    if task == "flipped":
        return -logits
    return logits
)");
  } else {
    net.define(R"(
def forward(self, x):
    h = torch.relu(torch.addmm(self.fc1.bias, x.flatten(1), self.fc1.weight.t()))
    return torch.addmm(self.head.bias, h, self.head.weight.t())
)");
  }
  net.save(path);
  return path;
}

struct Net {
  std::vector<float> w1, b1, w2, b2;
};

Net randomNet(unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  Net n;
  for (int i = 0; i < 12; ++i)
    n.w1.push_back(normal(rng));
  for (int i = 0; i < 3; ++i)
    n.b1.push_back(normal(rng));
  for (int i = 0; i < 6; ++i)
    n.w2.push_back(normal(rng));
  for (int i = 0; i < 2; ++i)
    n.b2.push_back(normal(rng));
  return n;
}

std::vector<io::TensorData> checkpoint(const Net& n) {
  return {io::TensorData::fromFloat32("fc1.weight", {3, 4}, n.w1),
          io::TensorData::fromFloat32("fc1.bias", {3}, n.b1),
          io::TensorData::fromFloat32("head.weight", {2, 3}, n.w2),
          io::TensorData::fromFloat32("head.bias", {2}, n.b2)};
}

int predictByHand(const Net& n, const float* x) {
  double h[3];
  for (int j = 0; j < 3; ++j) {
    double s = n.b1[j];
    for (int k = 0; k < 4; ++k)
      s += double(n.w1[j * 4 + k]) * x[k];
    h[j] = std::max(0.0, s);
  }
  double out[2];
  for (int c = 0; c < 2; ++c) {
    out[c] = n.b2[c];
    for (int j = 0; j < 3; ++j)
      out[c] += double(n.w2[c * 3 + j]) * h[j];
  }
  return out[1] > out[0] ? 1 : 0;
}

io::TaskData randomTask(const std::string& name, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  io::TaskData task;
  task.name = name;
  task.labelNames = {"a", "b"};
  task.split = "test";
  task.inputShape = {n, 4};
  for (int i = 0; i < n * 4; ++i)
    task.inputs.push_back(normal(rng));
  for (int i = 0; i < n; ++i)
    task.labels.push_back(rng() % 2);
  return task;
}

double accuracyByHand(const Net& net, const io::TaskData& task) {
  std::int64_t correct = 0;
  for (std::int64_t i = 0; i < task.size(); ++i)
    correct += predictByHand(net, &task.inputs[i * 4]) == task.labels[i];
  return double(correct) / double(task.size());
}

} // namespace

class TorchScriptTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void theArchiveRunsWithTheCheckpointsParameters() {
    test::TempDir dir;
    const Net net = randomNet(11);
    io::writeSafetensors(dir.file("ckpt.safetensors"), checkpoint(net));
    const auto weights = engine::openWeights(dir.file("ckpt.safetensors"), nullptr).weights;
    const auto archive = writeArchive(dir.file("net.pt"));
    const auto model = eval::loadClassifier(*weights, nullptr, archive);
    QCOMPARE(model->describe(), "TorchScript " + archive);
    const auto task = randomTask("plain", 700, 12);
    const double expected = accuracyByHand(net, task);
    QVERIFY(expected > 0.0 && expected < 1.0);
    eval::EvaluationOptions options;
    options.batchSize = 100;
    const auto score = eval::evaluate(*model, task, options);
    QCOMPARE(score.accuracy, expected);
    QCOMPARE(score.confusion.size(), std::size_t(2));

    // forward(x, task) is told the task: "flipped" negates the logits, so every prediction flips.
    const auto withTask = eval::loadClassifier(*weights, nullptr, writeArchive(dir.file("tasks.pt"), true));
    auto flipped = task;
    flipped.name = "flipped";
    QCOMPARE(eval::evaluate(*withTask, task).accuracy, expected);
    QVERIFY(std::abs(eval::evaluate(*withTask, flipped).accuracy - (1.0 - expected)) < 1e-9);
  }

  void aCheckpointThatDoesNotFitListsNamesAndShapes() {
    test::TempDir dir;
    const Net net = randomNet(11);
    auto tensors = checkpoint(net);
    tensors.pop_back(); // no head.bias
    tensors[0] = io::TensorData::fromFloat32("fc1.weight", {3, 5}, std::vector<float>(15, 0.5f)); // [3, 5]
    io::writeSafetensors(dir.file("bad.safetensors"), tensors);
    const auto weights = engine::openWeights(dir.file("bad.safetensors"), nullptr).weights;
    try {
      eval::loadClassifier(*weights, nullptr, writeArchive(dir.file("net.pt")));
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      QVERIFY2(what.find("missing from the checkpoint: head.bias") != std::string::npos, e.what());
      QVERIFY2(what.find("fc1.weight [3, 5] in the checkpoint, [3, 4] in the archive") != std::string::npos,
               e.what());
      QVERIFY2(what.find('\n') == std::string::npos, e.what());
    }
    // A file that is not an archive is an IoError naming it, on one line.
    test::writeBytes(dir.file("junk.pt"), "not a zip");
    try {
      eval::loadClassifier(*weights, nullptr, dir.file("junk.pt"));
      QFAIL("expected an error");
    } catch (const io::IoError& e) {
      QCOMPARE(e.file(), dir.file("junk.pt"));
      QVERIFY2(std::string(e.what()).find('\n') == std::string::npos, e.what());
    }
  }

  void anArchiveBesideTheConfigOrOnTheEvaluateNodeIsUsed() {
    test::TempDir dir;
    const Net net = randomNet(13);
    const auto folder = dir.file("user-model");
    std::filesystem::create_directories(folder);
    test::writeBytes(folder + "/config.json", R"({"architectures": ["UserNet"], "model_type": "user"})");
    io::writeSafetensors(folder + "/model.safetensors", checkpoint(net));
    const auto task = randomTask("plain", 300, 14);
    io::writeTaskFile(dir.file("plain.h5"), task);
    const double expected = accuracyByHand(net, task);

    // Without an archive the architecture is unknown.
    const auto opened = engine::openWeights(folder, nullptr);
    const auto* config = dynamic_cast<const io::HfModelFolder*>(opened.source.get());
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, eval::loadClassifier(*opened.weights, config));

    // Named on the Evaluate node.
    const auto archive = writeArchive(dir.file("elsewhere.torchscript.pt"));
    graph::Document doc;
    const auto model = doc.addNode(nt::kSourceModel);
    const auto tasks = doc.addNode(nt::kSourceTasks);
    const auto evaluate = doc.addNode(nt::kEvaluate);
    doc.setParam(model, "path", folder);
    doc.setParam(tasks, "path", dir.file("plain.h5"));
    doc.setParam(evaluate, "torchscript", archive);
    doc.connect({model, 0}, {evaluate, 0});
    doc.connect({tasks, 0}, {evaluate, 1});
    test::TempDir scratch;
    engine::GraphExecutor executor(scratch.path());
    engine::CancelToken cancel;
    auto summary = executor.run(doc, {}, {}, cancel);
    QVERIFY2(summary.ok(), summary.nodes[evaluate].message.c_str());
    QCOMPARE(summary.nodes[evaluate].results.size(), std::size_t(1));
    QCOMPARE(summary.nodes[evaluate].results[0].scores->at(0).accuracy, expected);

    // Beside config.json: model.pt is found without naming it.
    std::filesystem::copy_file(archive, folder + "/model.pt");
    QCOMPARE(eval::torchScriptArchiveIn(folder), folder + "/model.pt");
    const auto found = engine::openWeights(folder, nullptr);
    const auto classifier =
        eval::loadClassifier(*found.weights, dynamic_cast<const io::HfModelFolder*>(found.source.get()));
    QCOMPARE(eval::evaluate(*classifier, task).accuracy, expected);
  }
};

MG_TEST_APPLESS_MAIN(TorchScriptTest)
#include "test_torchscript.moc"
