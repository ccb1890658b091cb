// nearswap against hand-computed values (spec, "nearswap"): w = clamp(t / max(|θ0 − θ1|, 1e-6), 0, 1),
// out = w·θ1 + (1 − w)·θ0; t is required and the input weights are not used.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "ops/merge_method.h"
#include "ops/nearswap.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::mat;
using test::vec;

namespace {

at::Tensor nearswapOf(const at::Tensor& base, const at::Tensor& input, std::vector<std::string> assignments,
                      std::vector<double> weights = {}) {
  return merge("nearswap", {input}, base, weights, parseMergeParams("nearswap", assignments), "w");
}

} // namespace

class NearswapTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void byHand() {
    // t = 0.1: |d| = 0.5 → w = 0.2; |d| = 0.05 → w = 1; |d| = 0 → w = 1 (distance floored at 1e-6);
    // |d| = 0.2 → w = 0.5: 0.5·1.2 + 0.5·1 = 1.1.
    const auto base = vec({0, 0, 0, 1});
    const auto input = vec({0.5f, 0.05f, 0, 1.2f});
    QVERIFY(close(nearswapOf(base, input, {"t=0.1"}), vec({0.1f, 0.05f, 0, 1.1f})));
    // Symmetric in the sign of the difference: the base above the input moves down by the same rule.
    QVERIFY(close(nearswapOf(input, base, {"t=0.1"}), vec({0.4f, 0, 0, 1.1f})));
  }

  void endpoints() {
    const auto base = at::randn({5, 3});
    const auto input = base + 0.5 * at::tanh(at::randn({5, 3})); // distances below 0.5
    QVERIFY(close(nearswapOf(base, input, {"t=0"}), base));      // t = 0: the base
    // t at least the largest distance: the input everywhere.
    QVERIFY(close(nearswapOf(base, input, {"t=0.5"}), input));
    QVERIFY(close(nearswap(base, input, (input - base).abs().max().item<double>()), input));
  }

  void identicalAndZeroInputs() {
    const auto theta = mat({1, -2, 3, 0}, 2, 2);
    QVERIFY(close(nearswapOf(theta, theta, {"t=0.01"}), theta));
    QVERIFY(close(nearswapOf(at::zeros({3}), at::zeros({3}), {"t=0.5"}), at::zeros({3})));
  }

  void keepsShapeAndIgnoresWeights() {
    const auto base = at::randn({2, 3, 4});
    const auto input = base + 0.01 * at::randn({2, 3, 4});
    const auto out = nearswapOf(base, input, {"t=0.005"});
    QCOMPARE(out.sizes(), base.sizes());
    QVERIFY(close(nearswapOf(base, input, {"t=0.005"}, {7.0}), out));
  }

  void badCalls() {
    const auto v = vec({1, 2});
    MG_VERIFY_THROWS(parseMergeParams("nearswap", {}), std::invalid_argument,
                     "nearswap needs parameter t (it has no default)");
    MG_VERIFY_THROWS(parseMergeParams("nearswap", {"t=2"}), std::invalid_argument,
                     "t must be in [0, 1], got 2");
    MG_VERIFY_THROWS(parseMergeParams("nearswap", {"t=-0.1"}), std::invalid_argument, "t must be in [0, 1]");
    const auto p = parseMergeParams("nearswap", {"t=0.1"});
    MG_VERIFY_THROWS(merge("nearswap", {v}, std::nullopt, {}, p, "w"), std::invalid_argument,
                     "nearswap needs a base model");
    MG_VERIFY_THROWS(merge("nearswap", {v, v}, v, {}, p, "w"), std::invalid_argument,
                     "nearswap needs exactly 1 input, got 2");
    MG_VERIFY_THROWS(merge("nearswap", {vec({1, 2, 3})}, v, {}, p, "w"), std::invalid_argument,
                     "shape mismatch");
    MG_VERIFY_THROWS(nearswap(v, v, -1.0), std::invalid_argument, "t must be a non-negative number");
  }
};

MG_TEST_APPLESS_MAIN(NearswapTest)
#include "test_nearswap.moc"
