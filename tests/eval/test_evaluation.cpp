// Evaluating a classifier on task data: the accuracy, loss and confusion matrix match what the test computes
// independently (plain loops, no LibTorch), per-task heads are used for their task, and a checkpoint that
// does not fit the model is refused with the tensors named.
#include <QtTest>

#include <cmath>
#include <random>

#include "engine/open_weights.h"
#include "eval/evaluation.h"
#include "eval/mlp_classifier.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"

using namespace mg;

namespace {

struct Net {
  std::vector<float> w1, b1, w2, b2; // [3,4], [3], [2,3], [2]
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

// Logits of one example, by hand.
std::array<double, 2> forward(const Net& n, const float* x) {
  std::array<double, 3> h{};
  for (int j = 0; j < 3; ++j) {
    double s = n.b1[j];
    for (int k = 0; k < 4; ++k)
      s += double(n.w1[j * 4 + k]) * x[k];
    h[j] = std::max(0.0, s);
  }
  std::array<double, 2> out{};
  for (int c = 0; c < 2; ++c) {
    double s = n.b2[c];
    for (int j = 0; j < 3; ++j)
      s += double(n.w2[c * 3 + j]) * h[j];
    out[c] = s;
  }
  return out;
}

std::string writeNet(const test::TempDir& dir, const Net& n, const Net* taskHead = nullptr) {
  std::vector<io::TensorData> tensors = {io::TensorData::fromFloat32("layers.0.weight", {3, 4}, n.w1),
                                         io::TensorData::fromFloat32("layers.0.bias", {3}, n.b1),
                                         io::TensorData::fromFloat32("head.weight", {2, 3}, n.w2),
                                         io::TensorData::fromFloat32("head.bias", {2}, n.b2)};
  if (taskHead) {
    tensors.push_back(io::TensorData::fromFloat32("heads.flipped.weight", {2, 3}, taskHead->w2));
    tensors.push_back(io::TensorData::fromFloat32("heads.flipped.bias", {2}, taskHead->b2));
  }
  const auto path = dir.file("mlp.safetensors");
  io::writeSafetensors(path, tensors);
  return path;
}

io::TaskData randomTask(const std::string& name, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  io::TaskData task;
  task.name = name;
  task.labelNames = {"a", "b"};
  task.split = "test";
  task.inputShape = {n, 2, 2};
  for (int i = 0; i < n * 4; ++i)
    task.inputs.push_back(normal(rng));
  for (int i = 0; i < n; ++i)
    task.labels.push_back(rng() % 2);
  return task;
}

} // namespace

class EvaluationTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void scoresMatchAnIndependentComputation() {
    test::TempDir dir;
    const Net net = randomNet(1);
    const auto weights = engine::openWeights(writeNet(dir, net), nullptr).weights;
    const eval::MlpClassifier model(*weights);
    QCOMPARE(model.shape().inputSize, std::int64_t(4));
    QCOMPARE(model.shape().hiddenSizes, (std::vector<std::int64_t>{3}));
    const auto task = randomTask("plain", 1000, 2);

    std::int64_t correct = 0;
    double loss = 0;
    std::vector<std::vector<std::int64_t>> confusion(2, std::vector<std::int64_t>(2, 0));
    for (int i = 0; i < 1000; ++i) {
      const auto logits = forward(net, &task.inputs[i * 4]);
      const int predicted = logits[1] > logits[0] ? 1 : 0;
      const auto label = task.labels[i];
      correct += predicted == label;
      const double top = std::max(logits[0], logits[1]);
      loss += -(logits[label] - top - std::log(std::exp(logits[0] - top) + std::exp(logits[1] - top)));
      ++confusion[label][predicted];
    }
    int batches = 0;
    eval::EvaluationOptions options;
    options.batchSize = 64;
    options.progress = [&](std::int64_t, std::int64_t) { ++batches; };
    const auto score = eval::evaluate(model, task, options);
    QCOMPARE(score.examples, std::int64_t(1000));
    QCOMPARE(score.accuracy, double(correct) / 1000.0);
    QVERIFY(std::abs(score.loss - loss / 1000.0) < 1e-4);
    QCOMPARE(score.confusion, confusion);
    QCOMPARE(batches, 16); // ceil(1000 / 64)
  }

  void aTaskHeadIsUsedForItsTask() {
    test::TempDir dir;
    const Net net = randomNet(1);
    Net flipped = net;
    for (auto& w : flipped.w2)
      w = -w; // the opposite decision
    for (auto& b : flipped.b2)
      b = -b;
    const auto weights = engine::openWeights(writeNet(dir, net, &flipped), nullptr).weights;
    const eval::MlpClassifier model(*weights);
    QVERIFY(model.hasHeadFor("flipped"));
    auto task = randomTask("plain", 500, 3);
    const double plain = eval::evaluate(model, task).accuracy;
    task.name = "flipped";
    const double withHead = eval::evaluate(model, task).accuracy;
    QVERIFY(std::abs(plain + withHead - 1.0) < 0.01); // every non-tie prediction flips
  }

  void aCheckpointThatDoesNotFitIsRefusedWithItsTensorsNamed() {
    test::TempDir dir;
    const auto weights = engine::openWeights(writeNet(dir, randomNet(1)), nullptr).weights;
    eval::MlpShape shape{4, {5}, 2};
    try {
      eval::MlpClassifier model(*weights, shape);
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      QVERIFY2(what.find("layers.0.weight has shape [3, 4], expected [5, 4]") != std::string::npos,
               what.c_str());
    }
    const auto task = randomTask("wide", 10, 4);
    auto wrong = task;
    wrong.inputShape = {10, 8};
    wrong.inputs.resize(80);
    const eval::MlpClassifier model(*weights);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, eval::evaluate(model, wrong));
    QCOMPARE(
        eval::parseMlpConfig(R"({"architectures": ["MerganserMLP"], "input_size": 784, "hidden_sizes": [64],
                                      "num_labels": 10})",
                             "config.json")
            .inputSize,
        std::int64_t(784));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             eval::parseMlpConfig(R"({"architectures": ["GPT2"]})", "config.json"));
  }

  void cancelStopsBetweenBatches() {
    test::TempDir dir;
    const auto weights = engine::openWeights(writeNet(dir, randomNet(1)), nullptr).weights;
    const eval::MlpClassifier model(*weights);
    engine::CancelToken cancel;
    eval::EvaluationOptions options;
    options.batchSize = 10;
    options.cancel = &cancel;
    options.progress = [&](std::int64_t done, std::int64_t) {
      if (done >= 30) cancel.cancel();
    };
    QVERIFY_THROWS_EXCEPTION(engine::Cancelled, eval::evaluate(model, randomTask("t", 100, 5), options));
  }
};

QTEST_APPLESS_MAIN(EvaluationTest)
#include "test_evaluation.moc"
