// `merganser-cli merge --method iso_c | iso_cts | tsv` as a user runs them (spec, "iso_c, iso_cts, tsv").
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <ATen/CPUGeneratorImpl.h>

#include "io/safetensors_file.h"
#include "io/safetensors_writer.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;
using test::runCli;

namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

// base.safetensors and ft1/ft2.safetensors: a 6 × 4 weight and a bias, the fine-tunes moved by full-rank
// random task vectors.
struct SvdZoo {
  at::Tensor base, bias;
  std::vector<at::Tensor> weights, biases;
};

SvdZoo writeSvdZoo(const test::TempDir& dir) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
  SvdZoo zoo{at::randn({6, 4}, generator), at::randn({6}, generator), {}, {}};
  const auto save = [](const std::string& path, const at::Tensor& w, const at::Tensor& b) {
    io::writeSafetensors(path, {tensor::fromTorch(w, "fc.weight", io::DType::F32),
                                tensor::fromTorch(b, "fc.bias", io::DType::F32)});
  };
  save(dir.file("base.safetensors"), zoo.base, zoo.bias);
  for (int i = 1; i <= 2; ++i) {
    zoo.weights.push_back(zoo.base + 0.1 * at::randn({6, 4}, generator));
    zoo.biases.push_back(zoo.bias + 0.1 * at::randn({6}, generator));
    save(dir.file("ft" + std::to_string(i) + ".safetensors"), zoo.weights.back(), zoo.biases.back());
  }
  return zoo;
}

at::Tensor load(const std::string& path, const std::string& name) {
  return tensor::toTorchFloat32(io::SafetensorsFile(path).load(name));
}

} // namespace

class SvdMergeCliTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void isoCMergesFromTheCommandLine() {
    test::TempDir dir;
    const auto zoo = writeSvdZoo(dir);
    const auto r = runCli({"merge", "--method", "iso_c", "--base", q(dir.file("base.safetensors")), "--model",
                           q(dir.file("ft1.safetensors")), "--model", q(dir.file("ft2.safetensors")) + ":0.5",
                           "--param", "lambda=1.5", "--out", q(dir.file("out.safetensors"))});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // The weight's update: every singular value 1.5 · mean(S) of M = τ1 + 0.5·τ2.
    const auto m = (zoo.weights[0] - zoo.base) + 0.5 * (zoo.weights[1] - zoo.base);
    const double expected = 1.5 * at::linalg_svdvals(m).mean().item<double>();
    const auto s = at::linalg_svdvals(load(dir.file("out.safetensors"), "fc.weight") - zoo.base);
    QVERIFY2(std::abs(s.max().item<double>() - expected) < 1e-4 * expected &&
                 std::abs(s.min().item<double>() - expected) < 1e-4 * expected,
             qPrintable(QString("singular values %1 .. %2, expected %3")
                            .arg(s.min().item<double>())
                            .arg(s.max().item<double>())
                            .arg(expected)));
    // The bias: task arithmetic.
    const auto bias = zoo.bias + 1.5 * ((zoo.biases[0] - zoo.bias) + 0.5 * (zoo.biases[1] - zoo.bias));
    QVERIFY(at::allclose(load(dir.file("out.safetensors"), "fc.bias"), bias, 1e-5, 1e-6));
  }

  void isoCtsAndTsvRun() {
    test::TempDir dir;
    writeSvdZoo(dir);
    for (const QStringList& method :
         {QStringList{"iso_cts", "--param", "common_fraction=0.5"}, QStringList{"tsv"}}) {
      const auto out = q(dir.file(method.front().toStdString() + ".safetensors"));
      const auto r = runCli(QStringList{"merge", "--method"} + method +
                            QStringList{"--base", q(dir.file("base.safetensors")), "--model",
                                        q(dir.file("ft1.safetensors")), "--model",
                                        q(dir.file("ft2.safetensors")), "--out", out});
      QVERIFY2(r.exitCode == 0, qPrintable(method.front() + ": " + r.err));
      QCOMPARE(load(out.toStdString(), "fc.weight").sizes(), (at::IntArrayRef{6, 4}));
    }
  }

  void badParametersAreOneLine() {
    test::TempDir dir;
    writeSvdZoo(dir);
    const auto r = runCli({"merge", "--method", "iso_cts", "--base", q(dir.file("base.safetensors")),
                           "--model", q(dir.file("ft1.safetensors")), "--param", "common_fraction=2", "--out",
                           q(dir.file("out.safetensors"))});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("common_fraction must be in [0, 1], got 2"), qPrintable(r.err));
    const auto noBase =
        runCli({"merge", "--method", "tsv", "--model", q(dir.file("ft1.safetensors")), "--model",
                q(dir.file("ft2.safetensors")), "--out", q(dir.file("out.safetensors"))});
    QVERIFY(noBase.exitCode != 0);
    QVERIFY2(noBase.err.contains("tsv needs a base model"), qPrintable(noBase.err));
  }
};

MG_TEST_APPLESS_MAIN(SvdMergeCliTest)
#include "test_svd_merge_cli.moc"
