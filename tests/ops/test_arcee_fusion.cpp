// arcee_fusion against hand-worked cases (spec, "arcee_fusion"): importance |θ1 − θ0|·KL per row, kept where
// it reaches median + 1.5·IQR with quantiles sorted[floor(q·(n − 1))].
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <cmath>
#include <limits>

#include "ops/arcee_fusion.h"
#include "ops/merge_method.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::mat;
using test::vec;

namespace {

at::Tensor fusionOf(const at::Tensor& base, const at::Tensor& input, std::vector<double> weights = {}) {
  return merge("arcee_fusion", {input}, base, weights, {}, "w");
}

// The same steps written with a full sort, to check the selection and the row-wise KL against.
at::Tensor fusionBySort(const at::Tensor& a, const at::Tensor& b) {
  const auto p = at::softmax(b, -1) + 1e-8;
  const auto q = at::softmax(a, -1) + 1e-8;
  const auto importance = (b - a).abs() * (p * at::log(p / q)).sum(-1, true);
  const auto sorted = std::get<0>(at::sort(importance.reshape(-1)));
  const auto n = sorted.numel();
  const auto at_ = [&](double x) { return sorted[static_cast<std::int64_t>(std::floor(x * double(n - 1)))]; };
  const auto threshold = at_(0.5) + 1.5 * (at_(0.75) - at_(0.25));
  return a + (b - a) * importance.ge(threshold);
}

} // namespace

class ArceeFusionTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void oneDByHand() {
    // Base 0, input [1, 2, 3, 10]: one KL k > 0 for the vector, I = k·[1, 2, 3, 10]; n = 4 gives the indices
    // 1 (median), 0 and 2: τ = k·(2 + 1.5·(3 − 1)) = 5k. Only the 10 reaches it.
    QVERIFY(close(fusionOf(at::zeros({4}), vec({1, 2, 3, 10})), vec({0, 0, 0, 10})));
    // The same change on a base that is not zero: only the change counts for |θ1 − θ0|.
    const auto base = vec({1, -1, 2, 0.5f});
    QVERIFY(close(fusionOf(base, base + vec({1, 2, 3, 10})), base + vec({0, 0, 0, 10})));
  }

  void rowsHaveTheirOwnDivergence() {
    // Row 0 as above (k0 ≈ 1.37); row 1 changes one entry by 0.5 (k1 ≈ 0.027). n = 8: indices 3, 1, 5 of
    // [0, 0, 0, 0.5·k1, k0, 2k0, 3k0, 10k0]: τ = 0.5·k1 + 1.5·(2k0 − 0) > 3k0. Only 10 is kept: row 1's
    // change, although half of row 0's smallest, is dropped because its row barely diverges.
    const auto input = mat({1, 2, 3, 10, 0, 0, 0, 0.5f}, 2, 4);
    QVERIFY(close(fusionOf(at::zeros({2, 4}), input), mat({0, 0, 0, 10, 0, 0, 0, 0}, 2, 4)));
  }

  void shiftedRowHasNoDivergence() {
    // softmax is shift-invariant: a row moved by a constant has KL 0, so I = 0 everywhere, τ = 0, and every
    // entry reaches it (I ≥ τ): the input is taken whole.
    QVERIFY(close(fusionOf(at::zeros({4}), vec({1, 1, 1, 1})), vec({1, 1, 1, 1})));
  }

  void identicalAndZeroInputs() {
    const auto theta = at::randn({3, 5});
    QVERIFY(close(fusionOf(theta, theta), theta));
    QVERIFY(close(fusionOf(at::zeros({6}), at::zeros({6})), at::zeros({6})));
  }

  void matchesAFullSort() {
    at::manual_seed(7);
    for (const auto& shape : {std::vector<std::int64_t>{37}, {16, 24}, {3, 8, 11}}) {
      const auto a = at::randn(shape);
      const auto b = a + 0.3 * at::randn(shape);
      const auto out = fusionOf(a, b);
      QCOMPARE(out.sizes(), a.sizes());
      QVERIFY(at::equal(out, fusionBySort(a, b)));
      const auto kept = out.ne(a).sum().item<std::int64_t>();
      QVERIFY(kept > 0 && kept < a.numel()); // a case that keeps some changes and drops others
    }
  }

  void lowerQuantileOrdersNanLast() {
    const auto values = vec({5, std::numeric_limits<float>::quiet_NaN(), -1, 3, 2});
    // Sorted: -1, 2, 3, 5, NaN (torch.sort's order); floor(q·4).
    QCOMPARE(lowerQuantile(values, 0.0), -1.0f);
    QCOMPARE(lowerQuantile(values, 0.25), 2.0f);
    QCOMPARE(lowerQuantile(values, 0.5), 3.0f);
    QCOMPARE(lowerQuantile(values, 0.75), 5.0f);
    QVERIFY(std::isnan(lowerQuantile(values, 1.0)));
  }

  void scalarKeepsItsShape() {
    const auto out = fusionOf(at::scalar_tensor(1.0), at::scalar_tensor(3.0));
    QCOMPARE(out.dim(), 0);
    QCOMPARE(out.item<float>(), 3.0f); // one entry: I = 0 = τ, kept
  }

  void ignoresWeights() {
    const auto a = at::randn({4, 6});
    const auto b = a + at::randn({4, 6});
    QVERIFY(at::equal(fusionOf(a, b, {3.0}), fusionOf(a, b)));
  }

  void badCalls() {
    const auto v = vec({1, 2});
    MG_VERIFY_THROWS(merge("arcee_fusion", {v}, std::nullopt, {}, {}, "w"), std::invalid_argument,
                     "arcee_fusion needs a base model");
    MG_VERIFY_THROWS(merge("arcee_fusion", {v, v}, v, {}, {}, "w"), std::invalid_argument,
                     "arcee_fusion needs exactly 1 input, got 2");
    MG_VERIFY_THROWS(parseMergeParams("arcee_fusion", {"t=0.5"}), std::invalid_argument,
                     "unknown parameter 't' for method arcee_fusion (takes: none)");
    MG_VERIFY_THROWS(arceeFusion(v, vec({1, 2, 3})), std::invalid_argument, "the input has shape");
  }
};

MG_TEST_APPLESS_MAIN(ArceeFusionTest)
#include "test_arcee_fusion.moc"
