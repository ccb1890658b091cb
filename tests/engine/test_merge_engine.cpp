// The merge engine over real files: inputs of every kind, per-tensor rules, disagreements, seeds.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "weights/adapter_weights.h"
#include "weights/export.h"
#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "weights/source_weights.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;

namespace {

io::TensorData td(const std::string& name, const at::Tensor& t) {
  return tensor::fromTorch(t, name, io::DType::F32);
}

// A two-layer model: layers.0.fc.weight [4,3], layers.1.fc.weight [4,3], layers.1.fc.bias [4], head.weight
// [2,4].
std::string writeModel(const test::TempDir& dir, const std::string& file, float shift,
                       std::int64_t headRows = 2) {
  at::manual_seed(0);
  const auto w0 = at::randn({4, 3}), w1 = at::randn({4, 3}), b1 = at::randn({4}),
             head = at::randn({headRows, 4});
  const std::string path = dir.file(file);
  io::writeSafetensors(path, {td("layers.0.fc.weight", w0 + shift), td("layers.1.fc.weight", w1 + 2 * shift),
                              td("layers.1.fc.bias", b1 - shift), td("head.weight", head * (1 + shift))});
  return path;
}

engine::WeightSetPtr open(const std::string& path, engine::WeightSetPtr base = nullptr) {
  return engine::openWeights(path, base).weights;
}

} // namespace

class MergeEngineTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void linearOfTwoCheckpoints() {
    test::TempDir dir;
    const auto a = open(writeModel(dir, "a.safetensors", 0.0f));
    const auto b = open(writeModel(dir, "b.safetensors", 1.0f));
    engine::MergeRecipe r;
    r.method = "linear";
    r.inputs = {{a, 1.0, "a"}, {b, 3.0, "b"}};
    engine::MergedWeights merged(r);
    QCOMPARE(merged.tensors().size(), std::size_t(4));
    const auto expected = (a->load("layers.1.fc.weight") + 3 * b->load("layers.1.fc.weight")) / 4;
    QVERIFY(at::allclose(merged.load("layers.1.fc.weight"), expected, 1e-6, 1e-6));
  }

  void taskArithmeticWithAnAdapterInput() {
    test::TempDir dir;
    const auto base = open(writeModel(dir, "base.safetensors", 0.0f));
    io::LoraConfig config;
    config.r = 2;
    config.loraAlpha = 4; // scaling 2
    config.targetModules = {"fc"};
    const auto A = at::arange(6, at::kFloat).reshape({2, 3}) / 10, B = at::ones({4, 2});
    io::writePeftAdapter(
        dir.file("lora"), config,
        {td(io::peftKey("layers.0.fc", "lora_A"), A), td(io::peftKey("layers.0.fc", "lora_B"), B)});
    const auto adapter = open(dir.file("lora"), base);
    engine::MergeRecipe r;
    r.method = "task_arithmetic";
    r.base = base;
    r.baseLabel = "base";
    r.inputs = {{adapter, 1.0, "lora"}};
    r.params = {engine::parseParamRule("lambda=0.5")};
    engine::MergedWeights merged(r);
    const auto expected = base->load("layers.0.fc.weight") + 0.5 * 2 * at::mm(B, A);
    QVERIFY(at::allclose(merged.load("layers.0.fc.weight"), expected, 1e-5, 1e-6));
    // Untouched tensors stay the base's.
    QVERIFY(at::equal(merged.load("layers.1.fc.bias"), base->load("layers.1.fc.bias")));
  }

  void perTensorRulesAndLayerGradient() {
    test::TempDir dir;
    const auto base = open(writeModel(dir, "base.safetensors", 0.0f));
    const auto ft = open(writeModel(dir, "ft.safetensors", 1.0f));
    engine::MergeRecipe r;
    r.method = "task_arithmetic";
    r.base = base;
    r.inputs = {{ft, 1.0, "ft"}};
    r.params = {engine::parseParamRule("lambda@bias=0"), engine::parseParamRule("lambda=grad(0.2,1.0)")};
    r.take = {engine::parseTakeRule("^head=1")};
    engine::MergedWeights merged(r);
    auto check = [&](const std::string& name, double lambda) {
      const auto expected = base->load(name) + lambda * (ft->load(name) - base->load(name));
      QVERIFY2(at::allclose(merged.load(name), expected, 1e-5, 1e-6), name.c_str());
    };
    check("layers.0.fc.weight", 0.2); // layer 0 of 2: t = 0
    check("layers.1.fc.weight", 1.0); // layer 1 of 2: t = 1
    check("layers.1.fc.bias", 0.0);   // the filtered rule wins over the catch-all
    QVERIFY(at::equal(merged.load("head.weight"), ft->load("head.weight"))); // taken whole
  }

  void disagreementsAreNamed() {
    test::TempDir dir;
    const auto a = open(writeModel(dir, "a.safetensors", 0.0f));
    io::writeSafetensors(dir.file("short.safetensors"), {td("layers.0.fc.weight", at::zeros({4, 3}))});
    io::writeSafetensors(dir.file("wide.safetensors"),
                         {td("layers.0.fc.weight", at::zeros({4, 5})),
                          td("layers.1.fc.weight", at::zeros({4, 3})), td("layers.1.fc.bias", at::zeros({4})),
                          td("head.weight", at::zeros({2, 4}))});
    engine::MergeRecipe r;
    r.method = "linear";
    r.inputs = {{a, 1, "a.safetensors"}, {open(dir.file("short.safetensors")), 1, "short.safetensors"}};
    { // a missing tensor is merged from the inputs that have it (mergekit), with a warning naming both
      const engine::MergedWeights m(r);
      bool named = false;
      for (const auto& w : m.warnings())
        named = named || (w.find("head.weight") != std::string::npos &&
                          w.find("short.safetensors") != std::string::npos);
      QVERIFY(named);
    }
    r.inputs[1] = {open(dir.file("wide.safetensors")), 1, "wide.safetensors"};
    try {
      engine::MergedWeights m(r);
      QFAIL("shape mismatch accepted");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("[4, 5]") != std::string::npos, e.what());
    }
    r.method = "ties"; // needs a base
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine::MergedWeights{r});
    r.method = "no_such_method";
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, engine::MergedWeights{r});
  }

  void vocabularyIsCroppedWithAWarning() {
    test::TempDir dir;
    io::writeSafetensors(dir.file("a.safetensors"), {td("model.embed_tokens.weight", at::ones({5, 2}))});
    io::writeSafetensors(dir.file("b.safetensors"),
                         {td("model.embed_tokens.weight", at::full({7, 2}, 3.0f))});
    engine::MergeRecipe r;
    r.method = "linear";
    r.inputs = {{open(dir.file("a.safetensors")), 1, "a"}, {open(dir.file("b.safetensors")), 1, "b"}};
    engine::MergedWeights merged(r);
    QCOMPARE(merged.tensors()[0].shape, (std::vector<std::int64_t>{5, 2}));
    QCOMPARE(merged.warnings().size(), std::size_t(1));
    QVERIFY(at::allclose(merged.load("model.embed_tokens.weight"), at::full({5, 2}, 2.0f)));
  }

  void seedsAreReproducibleThroughExport() {
    test::TempDir dir;
    const auto base = open(writeModel(dir, "base.safetensors", 0.0f));
    const auto f1 = open(writeModel(dir, "f1.safetensors", 1.0f));
    const auto f2 = open(writeModel(dir, "f2.safetensors", -0.5f));
    auto run = [&](std::uint64_t seed, const std::string& out, int workers) {
      engine::MergeRecipe r;
      r.method = "dare_ties";
      r.base = base;
      r.inputs = {{f1, 1, "f1"}, {f2, 0.5, "f2"}};
      r.params = {engine::parseParamRule("density=0.5")};
      r.seed = seed;
      engine::ExportOptions o;
      o.workers = workers;
      engine::exportWeights(engine::MergedWeights(r), dir.file(out), o);
      return test::readBytes(dir.file(out));
    };
    const auto first = run(7, "a.safetensors", 1);
    QCOMPARE(run(7, "b.safetensors", 2), first); // same seed, different parallelism: identical bytes
    QVERIFY(run(8, "c.safetensors", 2) != first);
  }
};

MG_TEST_APPLESS_MAIN(MergeEngineTest)
#include "test_merge_engine.moc"
