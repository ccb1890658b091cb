// Evaluating a classifier on task data: the accuracy, loss and confusion matrix match what the test computes
// independently (plain loops, no LibTorch) for the MLP and the CNN, per-task heads are used for their task,
// the architecture is picked from config.json or the tensor names, and a checkpoint that does not fit the
// model is refused with the tensors named.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/Parallel.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "weights/open_weights.h"
#include "eval/cnn_classifier.h"
#include "eval/evaluation.h"
#include "eval/mlp_classifier.h"
#include "io/hf_model_folder.h"
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

// A CNN by hand: one 3x3 convolution (padding 1) of 1 -> 2 channels on 4x4 images, ReLU, 2x2 max-pool,
// flatten (channel, row, column) -> 8 features -> head of 3 classes.
struct Cnn {
  std::vector<float> conv, convBias, head, headBias; // [2,1,3,3], [2], [3,8], [3]
};

Cnn randomCnn(unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  Cnn n;
  for (int i = 0; i < 18; ++i)
    n.conv.push_back(normal(rng));
  for (int i = 0; i < 2; ++i)
    n.convBias.push_back(normal(rng));
  for (int i = 0; i < 24; ++i)
    n.head.push_back(normal(rng));
  for (int i = 0; i < 3; ++i)
    n.headBias.push_back(normal(rng));
  return n;
}

std::array<double, 3> forwardCnn(const Cnn& n, const float* image) {
  double conv[2][4][4];
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < 4; ++y)
      for (int x = 0; x < 4; ++x) {
        double s = n.convBias[c];
        for (int dy = -1; dy <= 1; ++dy)
          for (int dx = -1; dx <= 1; ++dx)
            if (y + dy >= 0 && y + dy < 4 && x + dx >= 0 && x + dx < 4)
              s += double(n.conv[c * 9 + (dy + 1) * 3 + (dx + 1)]) * image[(y + dy) * 4 + (x + dx)];
        conv[c][y][x] = std::max(0.0, s);
      }
  std::array<double, 8> features{};
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 2; ++x)
        features[c * 4 + y * 2 + x] = std::max({conv[c][2 * y][2 * x], conv[c][2 * y][2 * x + 1],
                                                conv[c][2 * y + 1][2 * x], conv[c][2 * y + 1][2 * x + 1]});
  std::array<double, 3> out{};
  for (int k = 0; k < 3; ++k) {
    double s = n.headBias[k];
    for (int f = 0; f < 8; ++f)
      s += double(n.head[k * 8 + f]) * features[f];
    out[k] = s;
  }
  return out;
}

std::vector<io::TensorData> cnnTensors(const Cnn& n) {
  return {io::TensorData::fromFloat32("convs.0.weight", {2, 1, 3, 3}, n.conv),
          io::TensorData::fromFloat32("convs.0.bias", {2}, n.convBias),
          io::TensorData::fromFloat32("head.weight", {3, 8}, n.head),
          io::TensorData::fromFloat32("head.bias", {3}, n.headBias)};
}

io::TaskData imageTask(int n, unsigned seed, std::vector<std::int64_t> shape) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  io::TaskData task;
  task.name = "images";
  task.labelNames = {"a", "b", "c"};
  task.inputShape = std::move(shape);
  for (int i = 0; i < n * 16; ++i)
    task.inputs.push_back(normal(rng));
  for (int i = 0; i < n; ++i)
    task.labels.push_back(rng() % 3);
  return task;
}

// A Hugging Face folder: config.json + model.safetensors.
std::string writeFolder(const test::TempDir& dir, const std::string& name, const std::string& config,
                        const std::vector<io::TensorData>& tensors) {
  const auto folder = dir.file(name);
  std::filesystem::create_directories(folder);
  test::writeBytes(folder + "/config.json", config);
  io::writeSafetensors(folder + "/model.safetensors", tensors);
  return folder;
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

  void cnnScoresMatchAnIndependentComputation() {
    test::TempDir dir;
    const Cnn net = randomCnn(7);
    io::writeSafetensors(dir.file("cnn.safetensors"), cnnTensors(net));
    const auto weights = engine::openWeights(dir.file("cnn.safetensors"), nullptr).weights;
    const auto model = eval::loadClassifier(*weights, nullptr); // convs.* -> the CNN, shape from the names
    QVERIFY2(model->describe().rfind("MerganserCNN", 0) == 0, model->describe().c_str());
    QCOMPARE(model->numLabels(), std::int64_t(3));
    const auto task = imageTask(300, 8, {300, 4, 4}); // one channel: [N, H, W]

    std::int64_t correct = 0;
    double loss = 0;
    for (int i = 0; i < 300; ++i) {
      const auto logits = forwardCnn(net, &task.inputs[i * 16]);
      const auto predicted = std::max_element(logits.begin(), logits.end()) - logits.begin();
      correct += predicted == task.labels[i];
      const double top = *std::max_element(logits.begin(), logits.end());
      double sum = 0;
      for (const double l : logits)
        sum += std::exp(l - top);
      loss += -(logits[task.labels[i]] - top - std::log(sum));
    }
    eval::EvaluationOptions options;
    options.batchSize = 64;
    const auto score = eval::evaluate(*model, task, options);
    QCOMPARE(score.accuracy, double(correct) / 300.0);
    QVERIFY(std::abs(score.loss - loss / 300.0) < 1e-4);

    // With config.json fixing the image size, flat inputs [N, 16] run the same network.
    const auto folder = writeFolder(dir, "cnn-folder",
                                    R"({"architectures": ["MerganserCNN"], "model_type": "merganser_cnn",
                                        "input_channels": 1, "image_size": 4, "channels": [2],
                                        "kernel_size": 3, "num_labels": 3})",
                                    cnnTensors(net));
    const auto opened = engine::openWeights(folder, nullptr);
    const auto configured =
        eval::loadClassifier(*opened.weights, dynamic_cast<const io::HfModelFolder*>(opened.source.get()));
    QCOMPARE(configured->exampleShape(), (std::vector<std::int64_t>{1, 4, 4}));
    auto flat = task;
    flat.inputShape = {300, 16};
    QCOMPARE(eval::evaluate(*configured, flat, options).accuracy, score.accuracy);
    // Images of another size are refused before anything runs, naming the task.
    auto big = imageTask(2, 9, {2, 4, 4});
    big.inputShape = {1, 1, 32};
    big.labels.resize(1);
    try {
      eval::evaluate(*configured, big);
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("task 'images'") != std::string::npos, e.what());
    }
  }

  void theConfigPicksTheArchitectureAndShapesIt() {
    test::TempDir dir;
    const Cnn net = randomCnn(7);
    // A config whose image size does not give the head's 8 features: the head is named with both shapes.
    const auto folder = writeFolder(dir, "wrong",
                                    R"({"architectures": ["MerganserCNN"], "input_channels": 1,
                                        "image_size": [8, 8], "channels": [2], "num_labels": 3})",
                                    cnnTensors(net));
    const auto opened = engine::openWeights(folder, nullptr);
    try {
      eval::loadClassifier(*opened.weights, dynamic_cast<const io::HfModelFolder*>(opened.source.get()));
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("head.weight has shape [3, 8], expected [3, 32]") !=
                   std::string::npos,
               e.what());
    }
    const auto mlp =
        writeFolder(dir, "mlp",
                    R"({"architectures": ["MerganserMLP"], "input_size": 4, "hidden_sizes": [3],
                                     "num_labels": 2})",
                    {io::TensorData::fromFloat32("layers.0.weight", {3, 4}, std::vector<float>(12, 1)),
                     io::TensorData::fromFloat32("layers.0.bias", {3}, {0, 0, 0}),
                     io::TensorData::fromFloat32("head.weight", {2, 3}, std::vector<float>(6, 1)),
                     io::TensorData::fromFloat32("head.bias", {2}, {0, 0})});
    const auto mlpOpened = engine::openWeights(mlp, nullptr);
    const auto model = eval::loadClassifier(*mlpOpened.weights,
                                            dynamic_cast<const io::HfModelFolder*>(mlpOpened.source.get()));
    QCOMPARE(model->describe(), std::string("MerganserMLP 4-3-2"));
    QVERIFY(dynamic_cast<const eval::MlpClassifier*>(model.get()));
    // An architecture Merganser does not know is named, with the way out.
    const auto other =
        writeFolder(dir, "gpt", R"({"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2"})",
                    {io::TensorData::fromFloat32("w", {2}, {1, 2})});
    const auto otherOpened = engine::openWeights(other, nullptr);
    try {
      eval::loadClassifier(*otherOpened.weights,
                           dynamic_cast<const io::HfModelFolder*>(otherOpened.source.get()));
      QFAIL("expected an error");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      QVERIFY2(what.find("config.json: architecture 'GPT2LMHeadModel'") != std::string::npos, e.what());
      QVERIFY2(what.find("TorchScript") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                             eval::parseCnnConfig(R"({"architectures": ["MerganserCNN"], "input_channels": 1,
                                                      "image_size": 4, "channels": [2], "kernel_size": 2,
                                                      "num_labels": 3})",
                                                  "config.json")); // even kernels do not keep the size
  }

  // `threads` holds only while evaluating: the calling thread gets its own intra-op setting back.
  void evaluatingWithThreadsRestoresTheCallersIntraOpThreads() {
    test::TempDir dir;
    const auto weights = engine::openWeights(writeNet(dir, randomNet(1)), nullptr).weights;
    const eval::MlpClassifier model(*weights);
    const int original = at::get_num_threads();
    at::set_num_threads(3);
    eval::EvaluationOptions options;
    options.threads = 1;
    eval::evaluate(model, randomTask("t", 100, 5), options);
    const int after = at::get_num_threads();
    at::set_num_threads(original);
    QCOMPARE(after, 3);
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

MG_TEST_APPLESS_MAIN(EvaluationTest)
#include "test_evaluation.moc"
