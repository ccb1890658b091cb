// The compute dtype: as mergekit, bf16 checkpoints are merged in bf16 (every operation rounded to it) unless
// a compute dtype is set, and the output metadata says which. The reference is the same formula run with
// ATen's own bf16 arithmetic, which is what mergekit's torch code runs.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

#include "weights/merged_weights.h"
#include "weights/open_weights.h"
#include "io/safetensors_writer.h"
#include "support/temp_dir.h"
#include "tensor/torch_convert.h"

using namespace mg;

namespace {

const char* kName = "model.layers.0.mlp.weight";

engine::WeightSetPtr writeOne(const test::TempDir& dir, const std::string& file, const at::Tensor& values,
                              io::DType dtype) {
  const std::string path = dir.file(file);
  io::writeSafetensors(path, {tensor::fromTorch(values, kName, dtype)});
  return engine::openWeights(path, nullptr).weights;
}

struct Models {
  test::TempDir dir;
  at::Tensor base32, a32, b32; // float32 values; the bf16 files hold them rounded
  engine::WeightSetPtr base, a, b;

  explicit Models(io::DType dtype) {
    at::manual_seed(3);
    base32 = at::randn({64, 32});
    a32 = base32 + 0.01 * at::randn({64, 32});
    b32 = base32 + 0.01 * at::randn({64, 32});
    base = writeOne(dir, "base.safetensors", base32, dtype);
    a = writeOne(dir, "a.safetensors", a32, dtype);
    b = writeOne(dir, "b.safetensors", b32, dtype);
  }
  engine::MergeRecipe recipe(const std::string& method, bool withBase) const {
    engine::MergeRecipe r;
    r.method = method;
    if (withBase) r.base = base;
    r.inputs = {{a, 0.3, "a", {}}, {b, 0.7, "b", {}}};
    return r;
  }
};

// mergekit's linear in dtype `dt`: (w · stack).sum(0) / w.sum(0).
at::Tensor linearIn(at::ScalarType dt, const at::Tensor& a, const at::Tensor& b) {
  const auto stack = at::stack({a.to(dt), b.to(dt)});
  const auto w = at::tensor(std::vector<double>{0.3, 0.7}).to(dt).unsqueeze(-1).unsqueeze(-1);
  return ((w * stack).sum(0) / w.sum(0)).to(at::kFloat);
}

// mergekit's TIES (density 1, so no pruning) in dtype `dt`.
at::Tensor tiesIn(at::ScalarType dt, const at::Tensor& base, const at::Tensor& a, const at::Tensor& b) {
  const auto b0 = base.to(dt);
  const auto deltas = at::stack({a.to(dt) - b0, b.to(dt) - b0});
  const auto w = at::tensor(std::vector<double>{0.3, 0.7}).to(dt).unsqueeze(-1).unsqueeze(-1);
  const auto weighted = deltas * w;
  const auto majority = (weighted.sum(0) >= 0).to(dt) * 2 - 1;
  const auto mask = weighted.sign() == majority;
  auto mixed = (weighted * mask).sum(0);
  auto divisor = (w * mask).sum(0);
  divisor.masked_fill_(divisor == 0, 1);
  mixed = mixed / divisor;
  return (b0 + mixed).to(at::kFloat);
}

} // namespace

class ComputeDtypeTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  // bf16 checkpoints without a compute dtype: computed and written in bf16, as mergekit.
  void bf16CheckpointsMergeInBf16() {
    Models m(io::DType::BF16);
    engine::MergedWeights linear(m.recipe("linear", false));
    QCOMPARE(linear.find(kName)->dtype, io::DType::BF16);
    const auto expected = linearIn(at::kBFloat16, m.a32, m.b32);
    QVERIFY(at::equal(linear.load(kName), expected));
    // Rounding only the float32 result would give other numbers: each operation is rounded.
    const auto roundedOnce = linearIn(at::kFloat, m.a->load(kName), m.b->load(kName)).to(at::kBFloat16);
    QVERIFY(!at::equal(roundedOnce.to(at::kFloat), expected));

    auto tiesRecipe = m.recipe("ties", true);
    tiesRecipe.params = {engine::parseParamRule("density=1")};
    engine::MergedWeights ties(tiesRecipe);
    QVERIFY(at::equal(ties.load(kName), tiesIn(at::kBFloat16, m.base32, m.a32, m.b32)));
    const auto provenance = nlohmann::json::parse(ties.provenanceJson());
    QCOMPARE(provenance["compute_dtype"].get<std::string>(), std::string("auto"));
    QCOMPARE(provenance["computed_in"], nlohmann::json::array({"bf16"}));
  }

  // float32 checkpoints with compute dtype bf16: inputs rounded to bf16, computed and written in bf16.
  void explicitBf16RoundsFloat32Inputs() {
    Models m(io::DType::F32);
    auto r = m.recipe("ties", true);
    r.params = {engine::parseParamRule("density=1")};
    r.computeDtype = engine::ComputeDtype::BF16;
    engine::MergedWeights ties(r);
    QCOMPARE(ties.find(kName)->dtype, io::DType::BF16);
    QVERIFY(at::equal(ties.load(kName), tiesIn(at::kBFloat16, m.base32, m.a32, m.b32)));
    // out_dtype overrides what is written, not what is computed.
    r.outputDtype = io::DType::F32;
    engine::MergedWeights written32(r);
    QCOMPARE(written32.find(kName)->dtype, io::DType::F32);
    QVERIFY(at::equal(written32.load(kName), tiesIn(at::kBFloat16, m.base32, m.a32, m.b32)));
  }

  // bf16 checkpoints with compute dtype f32: float32 arithmetic, float32 output.
  void explicitF32ComputesInFloat32() {
    Models m(io::DType::BF16);
    auto r = m.recipe("linear", false);
    r.computeDtype = engine::ComputeDtype::F32;
    engine::MergedWeights linear(r);
    QCOMPARE(linear.find(kName)->dtype, io::DType::F32);
    const auto expected = linearIn(at::kFloat, m.a->load(kName), m.b->load(kName));
    QVERIFY(at::allclose(linear.load(kName), expected, 1e-6, 1e-7));
    QVERIFY(!at::equal(linear.load(kName), linearIn(at::kBFloat16, m.a32, m.b32)));
    QCOMPARE(nlohmann::json::parse(linear.provenanceJson())["computed_in"], nlohmann::json::array({"f32"}));
  }

  void computeDtypeParses() {
    QVERIFY(engine::parseComputeDtype("bfloat16") == engine::ComputeDtype::BF16);
    QVERIFY(engine::parseComputeDtype("auto") == engine::ComputeDtype::Auto);
    try {
      engine::parseComputeDtype("int8");
      QFAIL("accepted");
    } catch (const std::invalid_argument& e) {
      QCOMPARE(std::string(e.what()),
               std::string("compute dtype must be auto, f32, bf16 or f16, got 'int8'"));
    }
  }
};

MG_TEST_APPLESS_MAIN(ComputeDtypeTest)
#include "test_compute_dtype.moc"
