// LoRA-space operations (spec, "LoRA-space operations") against hand-computed values and exact identities.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <cmath>

#include "ops/lora_ops.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::mat;

class LoraOpsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void scale() {
    QCOMPARE(loraScale(16, 4, false), 4.0);
    QCOMPARE(loraScale(16, 4, true), 8.0); // alpha / sqrt(r)
    MG_VERIFY_THROWS(loraScale(16, 0, false), std::invalid_argument, "rank must be positive");
  }

  void deltaByHand() {
    const auto A = mat({1, 2, 3}, 1, 3); // r = 1, in = 3
    const auto B = mat({1, 2}, 2, 1);    // out = 2
    const auto expected = mat({0.5, 1, 1.5, 1, 2, 3}, 2, 3);
    QVERIFY(close(loraDelta(A, B, 0.5), expected));
    QVERIFY(close(loraDelta(A, B, 0.5, LoraLayout::FanInFanOut), expected.t()));
    QVERIFY(close(loraDelta(A, B, 0.5, LoraLayout::Embedding), expected.t()));
    MG_VERIFY_THROWS(loraDelta(A, mat({1, 2, 3, 4}, 2, 2), 1), std::invalid_argument, "do not chain");
  }

  void convDeltaByHand() {
    const auto A =
        at::tensor(std::vector<float>{1.f, 2.f, 3.f, 4.f}).reshape({1, 1, 2, 2}); // r = 1, in = 1, 2×2 kernel
    const auto B = at::tensor(std::vector<float>{2.f, 3.f}).reshape({2, 1, 1, 1}); // out = 2
    const auto expected =
        at::tensor(std::vector<float>{2.f, 4.f, 6.f, 8.f, 3.f, 6.f, 9.f, 12.f}).reshape({2, 1, 2, 2});
    QVERIFY(close(loraDelta(A, B, 1.0), expected));
  }

  void doraByHand() {
    // W + ΔW = [[3, 4], [4, 4]]: row norms 5 and √32; magnitudes [10, 1]
    const auto W = mat({1, 2, 3, 4}, 2, 2);
    const auto dW = mat({2, 2, 1, 0}, 2, 2);
    const auto merged = doraMerge(W, dW, at::tensor(std::vector<float>{10.f, 1.f}));
    QVERIFY(close(merged, mat({6, 8, 0.70710678f, 0.70710678f}, 2, 2)));
    // Embedding [num = 2, dim = 2]: one norm per embedding dimension (a column of the stored weight):
    // column [3, 4] has norm 5 → ×2/5; column [1, 1] has norm √2 → ×2/√2
    const auto E = mat({3, 1, 4, 1}, 2, 2);
    const auto mergedE =
        doraMerge(E, at::zeros({2, 2}), at::tensor(std::vector<float>{2.f, 2.f}), LoraLayout::Embedding);
    QVERIFY(close(mergedE, mat({1.2f, 1.4142136f, 1.6f, 1.4142136f}, 2, 2)));
    MG_VERIFY_THROWS(doraMerge(W, dW, at::ones({3})), std::invalid_argument, "magnitude has 3 values");
  }

  void catIsExact() {
    at::manual_seed(1);
    const std::vector<at::Tensor> As = {at::randn({2, 6}), at::randn({3, 6}), at::randn({1, 6})};
    const std::vector<at::Tensor> Bs = {at::randn({5, 2}), at::randn({5, 3}), at::randn({5, 1})};
    const std::vector<double> w = {0.5, 1.0, -0.3};
    const std::vector<double> s = {2.0, 0.25, 4.0};
    std::vector<double> coefficients;
    auto expected = at::zeros({5, 6});
    for (std::size_t i = 0; i < As.size(); ++i) {
      coefficients.push_back(w[i] * s[i]);
      expected += w[i] * s[i] * Bs[i].mm(As[i]);
    }
    const auto cat = catLoras(As, Bs, coefficients);
    QCOMPARE(cat.A.sizes(), (at::IntArrayRef{6, 6})); // rank 2 + 3 + 1
    QCOMPARE(cat.B.sizes(), (at::IntArrayRef{5, 6}));
    QVERIFY(close(cat.B.mm(cat.A), expected, 1e-5, 1e-5));
    QCOMPARE(cat.relativeError, 0.0);
  }

  void svdTruncationErrorByHand() {
    // Singular values 3, 2, 1 (a signed permutation of a diagonal): rank 2 drops σ = 1,
    // relative error 1/√(9 + 4 + 1) = 1/√14.
    const auto delta = mat({0, 0, 2, 0, -3, 0, 0, 0, 0, 1, 0, 0}, 3, 4);
    const auto r2 = svdRefactor(delta, 2);
    QCOMPARE(r2.A.sizes(), (at::IntArrayRef{2, 4}));
    QCOMPARE(r2.B.sizes(), (at::IntArrayRef{3, 2}));
    QVERIFY(std::abs(r2.relativeError - 1.0 / std::sqrt(14.0)) < 1e-6);
    QVERIFY(close(r2.B.mm(r2.A), mat({0, 0, 2, 0, -3, 0, 0, 0, 0, 0, 0, 0}, 3, 4), 1e-5, 1e-5));
    // B = U_r·diag(S_r), A = V_rᵀ: the rows of A are orthonormal.
    QVERIFY(close(r2.A.mm(r2.A.t()), at::eye(2), 1e-5, 1e-5));
    // Full rank (and any larger rank) is exact.
    for (const std::int64_t rank : {3, 10}) {
      const auto full = svdRefactor(delta, rank);
      QCOMPARE(full.A.size(0), std::int64_t(3));
      QVERIFY(full.relativeError < 1e-7);
      QVERIFY(close(full.B.mm(full.A), delta, 1e-5, 1e-5));
    }
  }

  void svdErrorMatchesFrobenius() {
    at::manual_seed(2);
    const auto delta = at::randn({8, 6});
    const auto r = svdRefactor(delta, 3);
    const double direct = ((delta - r.B.mm(r.A)).norm() / delta.norm()).item<double>();
    QVERIFY(std::abs(r.relativeError - direct) < 1e-5);
  }

  void svdOfConvAndEmbedding() {
    at::manual_seed(3);
    const auto conv = at::randn({4, 2, 3, 3});
    const auto c = svdRefactor(conv, 4); // rank of the 4×18 view is 4
    QCOMPARE(c.A.sizes(), (at::IntArrayRef{4, 2, 3, 3}));
    QCOMPARE(c.B.sizes(), (at::IntArrayRef{4, 4, 1, 1}));
    QVERIFY(close(loraDelta(c.A, c.B, 1.0), conv, 1e-4, 1e-5));
    const auto embedding = at::randn({7, 3}); // [num, dim]: A [r, num], B [dim, r]
    const auto e = svdRefactor(embedding, 3, LoraLayout::Embedding);
    QCOMPARE(e.A.sizes(), (at::IntArrayRef{3, 7}));
    QCOMPARE(e.B.sizes(), (at::IntArrayRef{3, 3}));
    QVERIFY(close(loraDelta(e.A, e.B, 1.0, LoraLayout::Embedding), embedding, 1e-4, 1e-5));
  }

  void extractRecoversRankTwoDelta() {
    at::manual_seed(4);
    const auto base = at::randn({6, 5});
    const auto delta = at::randn({6, 2}).mm(at::randn({2, 5}));
    const auto lora = extractLora(base + delta, base, /*maxRank=*/4, /*epsilon=*/1e-3);
    QCOMPARE(lora.A.sizes(), (at::IntArrayRef{2, 5})); // σ3.. are float noise below ε
    QCOMPARE(lora.B.sizes(), (at::IntArrayRef{6, 2}));
    QVERIFY(close(lora.B.mm(lora.A), delta, 1e-4, 1e-4));
    QVERIFY(lora.relativeError < 1e-5);
    // A = √Σ·Vᵀ and B = U·√Σ: row i of A and column i of B both have norm √σ_i.
    QVERIFY(close(lora.A.norm(2, {1}), lora.B.norm(2, {0}), 1e-4, 1e-5));
    // max_rank caps the rank; the error is then σ2/‖Δ‖.
    const auto one = extractLora(base + delta, base, 1, 1e-3);
    QCOMPARE(one.A.size(0), std::int64_t(1));
    const double direct = ((delta - one.B.mm(one.A)).norm() / delta.norm()).item<double>();
    QVERIFY(std::abs(one.relativeError - direct) < 1e-5);
  }

  void extractOfUnchangedTensorIsRankZero() {
    const auto base = at::randn({4, 3});
    const auto lora = extractLora(base, base, 8, 1e-6);
    QCOMPARE(lora.A.sizes(), (at::IntArrayRef{0, 3}));
    QCOMPARE(lora.B.sizes(), (at::IntArrayRef{4, 0}));
    QCOMPARE(lora.relativeError, 0.0);
  }
};

MG_TEST_APPLESS_MAIN(LoraOpsTest)
#include "test_lora_ops.moc"
