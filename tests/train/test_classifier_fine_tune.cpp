// Fine-tuning a classifier as a user runs it (train::fineTuneClassifier), on a small MLP and tasks separable
// by construction (labelled by the base with a known low-rank update, or with known IA³ scalings, so the
// method can reach them exactly): LoRA and IA³ reach near-perfect validation accuracy; the gradient of a LoRA
// step is the finite-difference one; the written adapter reloads (PeftAdapter + AdapterWeights) and scores
// what training reported; a seed gives the same adapter bytes; a full fine-tune changes only its tensors;
// training continues from an adapter; bad settings are refused before anything is trained or written.
#include "support/test_registry.h"
#include <QtTest>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "eval/classifier.h"
#include "io/peft_adapter.h"
#include "io/task_file.h"
#include "support/temp_dir.h"
#include "train/classifier_trainee.h"
#include "train/few_shot.h"
#include "train/fine_tune.h"
#include "weights/adapter_weights.h"
#include "weights/open_weights.h"
#include "weights/tensor_map_weights.h"

using namespace mg;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kIn = 6, kHidden = 16, kClasses = 3, kExamples = 600;

std::map<std::string, at::Tensor> randomMlp(std::uint64_t seed) {
  auto g = at::detail::createCPUGenerator(seed);
  return {{"layers.0.weight", at::randn({kHidden, kIn}, g)},
          {"layers.0.bias", at::randn({kHidden}, g) * 0.1},
          {"head.weight", at::randn({kClasses, kHidden}, g)},
          {"head.bias", at::zeros({kClasses})}};
}

std::unique_ptr<eval::Classifier> classifierOf(const std::map<std::string, at::Tensor>& tensors) {
  return eval::loadClassifier(engine::TensorMapWeights(tensors, "test model"), nullptr);
}

// A task whose labels are what `teacher` predicts on random inputs.
io::TaskData teacherTask(const std::string& name, const std::map<std::string, at::Tensor>& teacher) {
  auto g = at::detail::createCPUGenerator(99);
  const auto inputs = at::randn({kExamples, kIn}, g);
  const auto labels = classifierOf(teacher)->logits(inputs).argmax(1);
  io::TaskData task;
  task.name = name;
  task.labelNames = {"a", "b", "c"};
  task.split = "train";
  task.inputShape = {kExamples, kIn};
  task.inputs.assign(inputs.data_ptr<float>(), inputs.data_ptr<float>() + inputs.numel());
  task.labels.assign(labels.data_ptr<std::int64_t>(), labels.data_ptr<std::int64_t>() + labels.numel());
  return task;
}

struct Setup {
  test::TempDir dir;
  std::map<std::string, at::Tensor> base = randomMlp(1);
  train::ClassifierBase classifierBase() const {
    return {std::make_shared<engine::TensorMapWeights>(base, "base"), nullptr, dir.file("base")};
  }
  // The base with a rank-2 update of its hidden layer: a LoRA of rank ≥ 2 can be it.
  io::TaskData loraTask() const {
    auto teacher = base;
    auto g = at::detail::createCPUGenerator(5);
    teacher["layers.0.weight"] =
        base.at("layers.0.weight") + at::randn({kHidden, 2}, g).matmul(at::randn({2, kIn}, g));
    return teacherTask("lowrank", teacher);
  }
  // The base with its hidden units scaled: an IA³ of layers.0 can be it.
  io::TaskData ia3Task() const {
    auto teacher = base;
    auto g = at::detail::createCPUGenerator(6);
    const auto l = at::rand({kHidden, 1}, g) * 2.0;
    teacher["layers.0.weight"] = base.at("layers.0.weight") * l;
    teacher["layers.0.bias"] = base.at("layers.0.bias") * l.flatten();
    return teacherTask("scaled", teacher);
  }
};

train::FineTuneOptions options(train::Method method) {
  train::FineTuneOptions o;
  o.method = method;
  o.lora.rank = 4;
  o.examples = 0;
  o.exampleUnit = train::ExampleUnit::PerTask;
  o.validationExamples = 100;
  o.evaluateEvery = 50;
  o.steps = 300;
  o.batchSize = 32;
  o.learningRate = method == train::Method::Ia3 ? 0.05 : 0.02;
  return o;
}

std::string errorOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "";
}

std::string bytesOf(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Accuracy of `model` on the examples fineTuneClassifier held apart for validation (the same seeded split).
double validationAccuracy(const eval::Classifier& model, const io::TaskData& task,
                          const train::FineTuneOptions& o) {
  const auto split = train::splitFewShot(std::vector<std::int64_t>(task.labels.size(), 0), o.examples,
                                         o.validationExamples, o.seed, [](auto, auto) { return ""; });
  const auto inputs = at::from_blob(const_cast<float*>(task.inputs.data()), task.inputShape, at::kFloat);
  const auto labels = at::from_blob(const_cast<std::int64_t*>(task.labels.data()), {task.size()}, at::kLong);
  const auto index =
      at::tensor(std::vector<std::int64_t>(split.validation.begin(), split.validation.end()), at::kLong);
  return model.logits(inputs.index_select(0, index))
      .argmax(1)
      .eq(labels.index_select(0, index))
      .to(at::kDouble)
      .mean()
      .item<double>();
}

} // namespace

class ClassifierFineTuneTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void aLoraReachesItsTaskAndReloadsScoringTheSame() {
    Setup s;
    const auto task = s.loraTask();
    const double before = validationAccuracy(*classifierOf(s.base), task, options(train::Method::Lora));
    const auto o = options(train::Method::Lora);
    const auto result = train::fineTuneClassifier(s.classifierBase(), {task}, o, "", s.dir.file("lora"), {});
    QVERIFY2(result.bestValidation >= 0.95, std::to_string(result.bestValidation).c_str());
    QVERIFY2(before < 0.9, std::to_string(before).c_str()); // the task is not the base's
    QCOMPARE(result.trainExamples, kExamples - 100);
    QCOMPARE(result.validationExamples, std::int64_t(100));
    QCOMPARE(result.curve.front().step, std::int64_t(0));
    QCOMPARE(result.curve.size(), std::size_t(7)); // before the first step, then every 50

    // A PEFT folder: the config PEFT needs, factors of the trunk only.
    const auto adapter = std::make_shared<const io::PeftAdapter>(s.dir.file("lora"));
    QCOMPARE(adapter->config().r, 4);
    QCOMPARE(adapter->config().loraAlpha, 16.0);
    QCOMPARE(adapter->modules().size(), std::size_t(1));
    QCOMPARE(adapter->modules()[0].module, std::string("layers.0"));
    const auto reloaded = eval::loadClassifier(
        engine::AdapterWeights(std::make_shared<engine::TensorMapWeights>(s.base, "base"), adapter), nullptr);
    QCOMPARE(validationAccuracy(*reloaded, task, o), result.bestValidation);
  }

  void anIa3ReachesItsTaskAndReloadsScoringTheSame() {
    Setup s;
    const auto task = s.ia3Task();
    const auto o = options(train::Method::Ia3);
    QVERIFY(validationAccuracy(*classifierOf(s.base), task, o) < 0.9);
    const auto result = train::fineTuneClassifier(s.classifierBase(), {task}, o, "", s.dir.file("ia3"), {});
    QVERIFY2(result.bestValidation >= 0.95, std::to_string(result.bestValidation).c_str());
    const auto adapter = std::make_shared<const io::PeftAdapter>(s.dir.file("ia3"));
    QVERIFY(adapter->isIa3());
    QCOMPARE(adapter->ia3Modules().size(), std::size_t(1));
    QCOMPARE(adapter->ia3Modules()[0].shape, (std::vector<std::int64_t>{kHidden, 1}));
    const auto reloaded = eval::loadClassifier(
        engine::AdapterWeights(std::make_shared<engine::TensorMapWeights>(s.base, "base"), adapter), nullptr);
    QCOMPARE(validationAccuracy(*reloaded, task, o), result.bestValidation);
  }

  void theGradientOfALoraStepIsTheFiniteDifferenceOne() {
    Setup s;
    const auto task = s.loraTask();
    auto o = options(train::Method::Lora);
    auto trainee = train::classifierTrainee(s.classifierBase(), s.base, o, "", "test");
    QCOMPARE(trainee.parameters.size(), std::size_t(2)); // A and B of layers.0
    QVERIFY(trainee.dense && !trainee.weightsChange);    // beside the frozen dense weights
    auto g = at::detail::createCPUGenerator(3);
    {
      at::NoGradGuard noGrad;
      trainee.parameters[1].copy_(at::randn(trainee.parameters[1].sizes(), g) *
                                  0.3); // B ≠ 0: A gets a gradient
    }
    const auto inputs = at::from_blob(const_cast<float*>(task.inputs.data()), {32, kIn}, at::kFloat).clone();
    const auto labels = at::from_blob(const_cast<std::int64_t*>(task.labels.data()), {32}, at::kLong).clone();
    const auto loss = [&] {
      return at::cross_entropy_loss(classifierOf(trainee.weights())->adaptedLogits(inputs, "", trainee.dense),
                                    labels);
    };
    for (auto& p : trainee.parameters)
      p.requires_grad_(true);
    loss().backward();
    for (auto& p : trainee.parameters) {
      const auto analytic = p.grad().clone();
      at::NoGradGuard noGrad;
      for (const std::int64_t i : {std::int64_t(0), p.numel() / 2, p.numel() - 1}) {
        auto flat = p.view({-1});
        const float kept = flat[i].item<float>();
        const double h = 1e-2;
        flat[i] = kept + h;
        const double up = loss().item<double>();
        flat[i] = kept - h;
        const double down = loss().item<double>();
        flat[i] = kept;
        const double numeric = (up - down) / (2 * h), exact = analytic.view({-1})[i].item<double>();
        QVERIFY2(std::abs(numeric - exact) <= 2e-3 + 2e-2 * std::abs(exact),
                 (std::to_string(numeric) + " vs " + std::to_string(exact)).c_str());
      }
    }
  }

  void aSeedGivesTheSameAdapterAndTrainingContinuesFromIt() {
    Setup s;
    const auto task = s.loraTask();
    auto o = options(train::Method::Lora);
    o.steps = 40;
    const auto first = train::fineTuneClassifier(s.classifierBase(), {task}, o, "", s.dir.file("a"), {});
    train::fineTuneClassifier(s.classifierBase(), {task}, o, "", s.dir.file("b"), {});
    QCOMPARE(bytesOf(s.dir.file("a/adapter_model.safetensors")),
             bytesOf(s.dir.file("b/adapter_model.safetensors")));
    o.seed = 1;
    train::fineTuneClassifier(s.classifierBase(), {task}, o, "", s.dir.file("c"), {});
    QVERIFY(bytesOf(s.dir.file("a/adapter_model.safetensors")) !=
            bytesOf(s.dir.file("c/adapter_model.safetensors")));
    // Continuing starts where the adapter is: its first validation is the first run's best.
    o.seed = 0;
    const auto more =
        train::fineTuneClassifier(s.classifierBase(), {task}, o, s.dir.file("a"), s.dir.file("d"), {});
    QCOMPARE(more.curve.front().validation, first.bestValidation);
  }

  void aFullFineTuneChangesOnlyItsTensors() {
    Setup s;
    const auto task = s.loraTask();
    auto o = options(train::Method::Full);
    o.steps = 40;
    const auto result = train::fineTuneClassifier(s.classifierBase(), {task}, o, "", s.dir.file("full"), {});
    QVERIFY(result.bestValidation > 0);
    const auto opened = engine::openWeights(s.dir.file("full/model.safetensors"), nullptr);
    QCOMPARE(opened.weights->tensors().size(), s.base.size());
    QVERIFY(at::equal(opened.weights->load("head.weight"), s.base.at("head.weight")));
    QVERIFY(!at::equal(opened.weights->load("layers.0.weight"), s.base.at("layers.0.weight")));
  }

  void settingsThatCannotTrainAreRefusedBeforeTraining() {
    Setup s;
    const auto task = s.loraTask();
    const auto out = s.dir.file("never");
    const auto run = [&](train::FineTuneOptions o, const std::string& from = "") {
      return errorOf([&] { train::fineTuneClassifier(s.classifierBase(), {task}, o, from, out, {}); });
    };
    auto o = options(train::Method::Lora);
    o.lora.rank = 0;
    QCOMPARE(run(o), std::string("rank must be at least 1 (got 0)"));
    o = options(train::Method::Lora);
    o.targetModules = {"decoder"};
    QVERIFY2(run(o).find("decoder") != std::string::npos && run(o).find("layers.0") != std::string::npos,
             run(o).c_str()); // says what there is
    o = options(train::Method::Lora);
    o.examples = 400;
    o.exampleUnit = train::ExampleUnit::PerClass;
    o.validationExamples = 10;
    QVERIFY2(run(o).rfind("task lowrank has ", 0) == 0 &&
                 run(o).find("fewer than the 400") != std::string::npos,
             run(o).c_str());
    o = options(train::Method::Lora);
    o.lora.dropout = 0.1;
    QVERIFY2(run(o).rfind("dropout: ", 0) == 0, run(o).c_str());
    train::fineTuneClassifier(s.classifierBase(), {task},
                              [] {
                                auto ia3 = options(train::Method::Ia3);
                                ia3.steps = 1;
                                return ia3;
                              }(),
                              "", s.dir.file("ia3"), {});
    QVERIFY2(run(options(train::Method::Lora), s.dir.file("ia3")).find("is an IA3 adapter") !=
                 std::string::npos,
             run(options(train::Method::Lora), s.dir.file("ia3")).c_str());
    QVERIFY(!fs::exists(out)); // nothing written
  }

  void aCancelKeepsTheBestCheckpoint() {
    Setup s;
    const auto task = s.loraTask();
    auto o = options(train::Method::Lora);
    o.steps = 100000;
    o.evaluateEvery = 20;
    engine::CancelToken cancel;
    train::TrainingEvents events;
    events.cancel = &cancel;
    events.point = [&](const train::CurvePoint& p) {
      if (p.step >= 60) cancel.cancel();
    };
    const auto result =
        train::fineTuneClassifier(s.classifierBase(), {task}, o, "", s.dir.file("kept"), events);
    QVERIFY(result.cancelled);
    QVERIFY(result.stepsRun < 100);
    const auto adapter = std::make_shared<const io::PeftAdapter>(s.dir.file("kept"));
    const auto reloaded = eval::loadClassifier(
        engine::AdapterWeights(std::make_shared<engine::TensorMapWeights>(s.base, "base"), adapter), nullptr);
    QCOMPARE(validationAccuracy(*reloaded, task, o), result.bestValidation);
  }
};

MG_TEST_APPLESS_MAIN(ClassifierFineTuneTest)
#include "test_classifier_fine_tune.moc"
