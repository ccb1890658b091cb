// `merganser-cli merge` and `extract-lora` as a user runs them.
#include "support/test_registry.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <ATen/ATen.h>

#include <filesystem>

#include "io/hf_model_folder.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
using test::runCli;
namespace fs = std::filesystem;

namespace {

io::TensorData td(const std::string& name, const at::Tensor& t) {
  return tensor::fromTorch(t, name, io::DType::F32);
}

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

// An HF folder "base" (config + tokenizer) and two fine-tuned single files.
void writeZoo(const test::TempDir& dir) {
  fs::create_directories(dir.file("base"));
  test::writeBytes(dir.file("base/config.json"), R"({"model_type": "mlp", "torch_dtype": "float32"})");
  test::writeBytes(dir.file("base/tokenizer.json"), "{}");
  io::writeSafetensors(dir.file("base/model.safetensors"),
                       {td("fc.weight", at::zeros({4, 3})), td("fc.bias", at::zeros({4}))});
  io::writeSafetensors(dir.file("ft1.safetensors"),
                       {td("fc.weight", at::full({4, 3}, 1.0f)), td("fc.bias", at::full({4}, -1.0f))});
  io::writeSafetensors(dir.file("ft2.safetensors"),
                       {td("fc.weight", at::full({4, 3}, 3.0f)), td("fc.bias", at::full({4}, 1.0f))});
}

at::Tensor load(const std::string& path, const std::string& name) {
  return tensor::toTorchFloat32(io::SafetensorsFile(path).load(name));
}

} // namespace

class MergeCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void taskArithmeticToSingleFileWithProvenance() {
    test::TempDir dir;
    writeZoo(dir);
    const auto r = runCli({"merge", "--method", "task_arithmetic", "--base", q(dir.file("base")), "--model",
                           q(dir.file("ft1.safetensors")) + ":0.5", "--model", q(dir.file("ft2.safetensors")),
                           "--param", "lambda=0.5", "--out", q(dir.file("out.safetensors")), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // 0.5 * (0.5*1 + 1*3) = 1.75
    QVERIFY(at::allclose(load(dir.file("out.safetensors"), "fc.weight"), at::full({4, 3}, 1.75f)));
    const auto summary = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(summary["tensors"].toInt(), 2);
    io::SafetensorsFile out(dir.file("out.safetensors"));
    const auto recipe =
        QJsonDocument::fromJson(QByteArray::fromStdString(out.metadata().at("merganser_recipe"))).object();
    QCOMPARE(recipe["method"].toString(), QStringLiteral("task_arithmetic"));
    QCOMPARE(recipe["inputs"].toArray().size(), 2);
    QCOMPARE(recipe["inputs"].toArray()[0].toObject()["weight"].toDouble(), 0.5);
    QCOMPARE(recipe["inputs"].toArray()[0].toObject()["hash"].toString().size(), 32);
    QVERIFY(recipe["inputs"].toArray()[0].toObject()["hash"] !=
            recipe["inputs"].toArray()[1].toObject()["hash"]);
  }

  void hfFolderOutputInBf16() {
    test::TempDir dir;
    writeZoo(dir);
    const auto r = runCli({"merge", "--method", "ties", "--base", q(dir.file("base")), "--model",
                           q(dir.file("ft1.safetensors")), "--model", q(dir.file("ft2.safetensors")),
                           "--param", "density=0.5", "--dtype", "bf16", "--out", q(dir.file("merged"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    io::HfModelFolder out(dir.file("merged"));
    QCOMPARE(out.tensors()[0].dtype, io::DType::BF16);
    QVERIFY(out.configJson().find("bfloat16") != std::string::npos);
    QVERIFY(fs::exists(dir.file("merged/tokenizer.json")));
  }

  void hdf5Output() {
    test::TempDir dir;
    writeZoo(dir);
    const auto r = runCli({"merge", "--method", "linear", "--model", q(dir.file("ft1.safetensors")),
                           "--model", q(dir.file("ft2.safetensors")), "--out", q(dir.file("m.h5"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto inspect = runCli({"inspect", q(dir.file("m.h5")), "--json"});
    QCOMPARE(inspect.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(inspect.out.toUtf8()).object()["tensor_count"].toInt(), 2);
  }

  void badInputs() {
    test::TempDir dir;
    writeZoo(dir);
    // Unknown method, bad parameter, missing file: exit 2 and nothing written.
    auto r = runCli({"merge", "--method", "magic", "--model", q(dir.file("ft1.safetensors")), "--out",
                     q(dir.file("x.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QStringLiteral("magic")));
    r = runCli({"merge", "--method", "ties", "--base", q(dir.file("base")), "--model",
                q(dir.file("ft1.safetensors")), "--param", "density=7", "--out",
                q(dir.file("x.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("density")), qPrintable(r.err));
    r = runCli({"merge", "--method", "linear", "--model", q(dir.file("nope.safetensors")), "--out",
                q(dir.file("x.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    QVERIFY(r.err.contains(QStringLiteral("nope.safetensors")));
    QVERIFY(!fs::exists(dir.file("x.safetensors")));
  }

  void nonFiniteOutputIsRefused() {
    test::TempDir dir;
    writeZoo(dir);
    io::writeSafetensors(dir.file("nan.safetensors"),
                         {td("fc.weight", at::full({4, 3}, std::numeric_limits<float>::quiet_NaN())),
                          td("fc.bias", at::zeros({4}))});
    auto r = runCli({"merge", "--method", "linear", "--model", q(dir.file("ft1.safetensors")), "--model",
                     q(dir.file("nan.safetensors")), "--out", q(dir.file("x.safetensors"))});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(QStringLiteral("fc.weight")) && r.err.contains(QStringLiteral("12")),
             qPrintable(r.err));
    QVERIFY(!fs::exists(dir.file("x.safetensors")));
    r = runCli({"merge", "--method", "linear", "--model", q(dir.file("ft1.safetensors")), "--model",
                q(dir.file("nan.safetensors")), "--out", q(dir.file("x.safetensors")), "--allow-non-finite"});
    QCOMPARE(r.exitCode, 0);
  }

  void extractLoraRoundTrip() {
    test::TempDir dir;
    at::manual_seed(3);
    const auto w0 = at::randn({6, 5});
    const auto delta = at::mm(at::randn({6, 2}), at::randn({2, 5})); // rank 2
    io::writeSafetensors(dir.file("base.safetensors"), {td("l.weight", w0), td("l.bias", at::zeros({6}))});
    io::writeSafetensors(dir.file("ft.safetensors"),
                         {td("l.weight", w0 + delta), td("l.bias", at::ones({6}))});
    const auto r =
        runCli({"extract-lora", "--base", q(dir.file("base.safetensors")), "--model",
                q(dir.file("ft.safetensors")), "--rank", "4", "--out", q(dir.file("lora")), "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    io::PeftAdapter adapter(dir.file("lora"));
    QCOMPARE(adapter.modules().size(), std::size_t(1));
    QCOMPARE(adapter.modules()[0].rank, 2); // only two singular values above epsilon
    // Applying the adapter back to the base reproduces the fine-tune.
    const auto merged =
        runCli({"merge", "--method", "task_arithmetic", "--base", q(dir.file("base.safetensors")), "--model",
                q(dir.file("lora")), "--out", q(dir.file("back.safetensors"))});
    QVERIFY2(merged.exitCode == 0, qPrintable(merged.err));
    QVERIFY(at::allclose(load(dir.file("back.safetensors"), "l.weight"), w0 + delta, 1e-4, 1e-4));
    QVERIFY(at::allclose(load(dir.file("back.safetensors"), "l.bias"), at::ones({6})));
  }

  void adapterOutputIsExactForTaskArithmeticOfAdapters() {
    test::TempDir dir;
    at::manual_seed(5);
    const auto w0 = at::randn({6, 5});
    io::writeSafetensors(dir.file("base.safetensors"), {td("l.weight", w0)});
    auto writeLora = [&](const std::string& name, int rank, double alpha) {
      io::LoraConfig c;
      c.r = rank;
      c.loraAlpha = alpha;
      c.targetModules = {"l"};
      io::writePeftAdapter(dir.file(name), c,
                           {td(io::peftKey("l", "lora_A"), at::randn({rank, 5})),
                            td(io::peftKey("l", "lora_B"), at::randn({6, rank}))});
    };
    writeLora("a", 2, 4);
    writeLora("b", 3, 3);
    const QStringList common = {"merge",
                                "--method",
                                "task_arithmetic",
                                "--base",
                                q(dir.file("base.safetensors")),
                                "--model",
                                q(dir.file("a")) + ":0.7",
                                "--model",
                                q(dir.file("b")),
                                "--param",
                                "lambda=0.5"};
    auto r = runCli(
        common + QStringList{"--out", q(dir.file("full.safetensors")), "--adapter-out", q(dir.file("sum"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("exact")));
    io::PeftAdapter sum(dir.file("sum"));
    QCOMPARE(sum.modules()[0].rank, 5); // 2 + 3: concatenated, not truncated
    // The adapter applied to the base equals the full merge.
    r = runCli({"merge", "--method", "task_arithmetic", "--base", q(dir.file("base.safetensors")), "--model",
                q(dir.file("sum")), "--out", q(dir.file("via_adapter.safetensors"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(at::allclose(load(dir.file("via_adapter.safetensors"), "l.weight"),
                         load(dir.file("full.safetensors"), "l.weight"), 1e-4, 1e-5));
    // TIES is not low-rank: refused without a rank, truncated by SVD with one.
    const QStringList ties = {
        "merge",      "--method",       "ties",    "--base",         q(dir.file("base.safetensors")),
        "--model",    q(dir.file("a")), "--model", q(dir.file("b")), "--param",
        "density=0.5"};
    r = runCli(ties + QStringList{"--adapter-out", q(dir.file("t"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--adapter-rank")), qPrintable(r.err));
    r = runCli(ties + QStringList{"--adapter-out", q(dir.file("t")), "--adapter-rank", "2", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto j = QJsonDocument::fromJson(r.out.toUtf8()).object()["adapter"].toObject();
    QCOMPARE(j["exact"].toBool(), false);
    QVERIFY(j["max_relative_error"].toDouble() > 0.0);
    QCOMPARE(io::PeftAdapter(dir.file("t")).modules()[0].rank, 2);
  }

  void adapterWithoutBase() {
    test::TempDir dir;
    io::LoraConfig c;
    c.r = 1;
    c.loraAlpha = 1;
    c.targetModules = {"l"};
    io::writePeftAdapter(
        dir.file("lora"), c,
        {td(io::peftKey("l", "lora_A"), at::ones({1, 3})), td(io::peftKey("l", "lora_B"), at::ones({2, 1}))});
    const auto r = runCli({"merge", "--method", "linear", "--model", q(dir.file("lora")), "--out",
                           q(dir.file("x.safetensors"))});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--base")), qPrintable(r.err));
  }
};

MG_TEST_GUILESS_MAIN(MergeCliTest)
#include "test_merge_cli.moc"
