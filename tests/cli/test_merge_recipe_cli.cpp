// `merganser-cli merge` with per-model parameters (--model-param), a compute dtype (--compute-dtype) and
// output slices (--slice), as a user runs it.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <ATen/ATen.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
using test::runCli;
namespace fs = std::filesystem;

namespace {

io::TensorData tdf(const std::string& name, const at::Tensor& t) {
  return tensor::fromTorch(t, name, io::DType::F32);
}

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

// A base and two fine-tuned files of one layer; an HF folder "deep" and a file "shallow" of 2 layers.
void writeRecipeZoo(const test::TempDir& dir) {
  io::writeSafetensors(dir.file("base.safetensors"),
                       {tdf("fc.weight", at::zeros({4, 3})), tdf("fc.bias", at::zeros({4}))});
  io::writeSafetensors(dir.file("ft1.safetensors"),
                       {tdf("fc.weight", at::full({4, 3}, 1.0f)), tdf("fc.bias", at::full({4}, -1.0f))});
  io::writeSafetensors(dir.file("ft2.safetensors"),
                       {tdf("fc.weight", at::full({4, 3}, 3.0f)), tdf("fc.bias", at::full({4}, 1.0f))});
  fs::create_directories(dir.file("deep"));
  test::writeBytes(dir.file("deep/config.json"), R"({"model_type": "mlp", "num_hidden_layers": 2})");
  const auto layered = [&](const std::string& path, float value) {
    io::writeSafetensors(path, {tdf("model.embed_tokens.weight", at::full({3, 2}, value)),
                                tdf("model.layers.0.w", at::full({2}, value)),
                                tdf("model.layers.1.w", at::full({2}, value + 1)),
                                tdf("model.norm.weight", at::full({2}, value))});
  };
  layered(dir.file("deep/model.safetensors"), 10);
  layered(dir.file("shallow.safetensors"), 20);
}

at::Tensor tensorOf(const std::string& path, const std::string& name) {
  return tensor::toTorchFloat32(io::SafetensorsFile(path).load(name));
}

} // namespace

class MergeRecipeCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void modelParamsAndComputeDtype() {
    test::TempDir dir;
    writeRecipeZoo(dir);
    const auto r =
        runCli({"merge", "--method", "task_arithmetic", "--base", qs(dir.file("base.safetensors")), "--model",
                qs(dir.file("ft1.safetensors")), "--model", qs(dir.file("ft2.safetensors")), "--model-param",
                "1:weight@sub:bias=0", "--model-param", "2:weight=0.5", "--compute-dtype", "bf16", "--out",
                qs(dir.file("out.safetensors"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const std::string out = dir.file("out.safetensors");
    QVERIFY(at::equal(tensorOf(out, "fc.weight"), at::full({4, 3}, 1.0f + 1.5f)));
    QVERIFY(at::equal(tensorOf(out, "fc.bias"), at::full({4}, 0.5f))); // input 1 weighted 0 on the bias
    io::SafetensorsFile file(out);
    QCOMPARE(file.find("fc.weight")->dtype, io::DType::BF16);
    const auto recipe = nlohmann::json::parse(file.metadata().at("merganser_recipe"));
    QCOMPARE(recipe["compute_dtype"].get<std::string>(), std::string("bf16"));
    QCOMPARE(recipe["computed_in"], nlohmann::json::array({"bf16"}));
    QCOMPARE(recipe["inputs"][0]["parameters"][0]["filter_syntax"].get<std::string>(),
             std::string("mergekit"));
  }

  // Three output layers from two 2-layer models; config.json says so.
  void slicesStackLayers() {
    test::TempDir dir;
    writeRecipeZoo(dir);
    const auto r = runCli({"merge", "--method", "passthrough", "--model", qs(dir.file("deep")), "--model",
                           qs(dir.file("shallow.safetensors")), "--slice", "1:0-2", "--slice", "2:1-2",
                           "--out", qs(dir.file("stacked"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const std::string weights = dir.file("stacked/model.safetensors");
    QVERIFY(at::equal(tensorOf(weights, "model.layers.2.w"), at::full({2}, 21.0f)));
    QVERIFY(at::equal(tensorOf(weights, "model.layers.1.w"), at::full({2}, 11.0f)));
    QVERIFY(at::equal(tensorOf(weights, "model.norm.weight"), at::full({2}, 20.0f)));
    std::ifstream config(dir.file("stacked/config.json"));
    QCOMPARE(nlohmann::json::parse(config)["num_hidden_layers"].get<int>(), 3);
  }

  // A warning the method's kernel gives for every tensor (karcher ignoring unequal weights, as mergekit)
  // reaches stderr and the JSON report once, not once per tensor.
  void kernelWarningsReachTheUserOnce() {
    test::TempDir dir;
    writeRecipeZoo(dir);
    const auto r =
        runCli({"merge", "--method", "karcher", "--base", qs(dir.file("base.safetensors")), "--model",
                qs(dir.file("ft1.safetensors")) + ":1", "--model", qs(dir.file("ft2.safetensors")) + ":3",
                "--json", "--out", qs(dir.file("out.safetensors"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.err.count("warning: karcher weighs every model equally"), 1); // two tensors, one line
    const auto report = nlohmann::json::parse(r.out.toStdString());
    int inReport = 0;
    for (const auto& w : report["warnings"])
      inReport += w.get<std::string>().rfind("karcher weighs every model equally", 0) == 0 ? 1 : 0;
    QCOMPARE(inReport, 1);
    // Equal weights: nothing to warn about.
    const auto equal = runCli({"merge", "--method", "karcher", "--base", qs(dir.file("base.safetensors")),
                               "--model", qs(dir.file("ft1.safetensors")), "--model",
                               qs(dir.file("ft2.safetensors")), "--out", qs(dir.file("equal.safetensors"))});
    QVERIFY2(equal.exitCode == 0, qPrintable(equal.err));
    QVERIFY2(!equal.err.contains("karcher weighs"), qPrintable(equal.err));
  }

  // Bad values: exit 2, a line naming the option or parameter.
  void badRecipeOptions() {
    test::TempDir dir;
    writeRecipeZoo(dir);
    const QStringList common = {"merge",
                                "--method",
                                "ties",
                                "--base",
                                qs(dir.file("base.safetensors")),
                                "--model",
                                qs(dir.file("ft1.safetensors")),
                                "--out",
                                qs(dir.file("x.safetensors"))};
    const auto check = [&](const QStringList& extra, const QString& needle) {
      const auto r = runCli(common + extra);
      QCOMPARE(r.exitCode, 2);
      // The first line says what is wrong (usage errors then print the usage).
      QVERIFY2(r.err.split(QLatin1Char('\n')).first().contains(needle), qPrintable(r.err));
    };
    check({"--model-param", "2:weight=1"},
          QStringLiteral("--model-param 2:weight=1: there are only 1 models"));
    check({"--model-param", "1:lambda=1"}, QStringLiteral("lambda is not a per-model parameter"));
    check({"--model-param", "1:density=2"}, QStringLiteral("density must be in (0, 1], got 2"));
    check({"--compute-dtype", "int8"}, QStringLiteral("compute dtype must be auto, f32, bf16 or f16"));
    check({"--slice", "1:0-5"}, QStringLiteral("slice 1, source 1: layer_range [0, 5) is beyond"));
    QVERIFY(!fs::exists(dir.file("x.safetensors")));
  }
};

MG_TEST_APPLESS_MAIN(MergeRecipeCliTest)
#include "test_merge_recipe_cli.moc"
