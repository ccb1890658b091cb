// ram and ramplus_tl against hand-computed values (spec, "ram"): entries changed (|τ| > ε) by one input are
// kept (× λ_i for RAM+), by several averaged, by none left at the base.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "ops/merge_method.h"
#include "ops/ram.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::mat;
using test::vec;

namespace {

at::Tensor ramOf(const char* method, const at::Tensor& base, std::vector<at::Tensor> inputs,
                 std::vector<std::string> assignments = {}, std::vector<double> weights = {}) {
  return merge(method, std::move(inputs), base, weights, parseMergeParams(method, assignments), "w");
}

} // namespace

class RamTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void ramByHand() {
    // j0: both change it → mean (1 + 3)/2; j1: only the first → 2; j2: nobody; j3: |τ| = 1e-6 ≤ ε → base.
    const auto base = vec({0, 0, 0, 0});
    const std::vector<at::Tensor> inputs = {vec({1, 2, 0, 1e-6f}), vec({3, 0, 0, 0})};
    QVERIFY(close(ramOf("ram", base, inputs), vec({2, 2, 0, 0}), 1e-6, 0));
    // The same on a non-zero base: only the task vectors matter.
    const auto shifted = vec({1, -1, 5, 2});
    QVERIFY(close(ramOf("ram", shifted, {inputs[0] + shifted, inputs[1] + shifted}),
                  shifted + vec({2, 2, 0, 0}), 1e-6, 0));
  }

  void ramEpsilon() {
    // The default is mergekit's 1e-5 (not DELLA's 0.15): a change of 0.1 is kept.
    QCOMPARE(parseMergeParams("ram", {}).epsilon, 1e-5);
    QCOMPARE(parseMergeParams("ramplus_tl", {}).epsilon, 1e-5);
    QCOMPARE(parseMergeParams("della", {}).epsilon, 0.15);
    const auto base = vec({0, 0, 0});
    const std::vector<at::Tensor> inputs = {vec({0.1f, 0.6f, -0.7f}), vec({0.2f, 0, 0.9f})};
    QVERIFY(close(ramOf("ram", base, inputs), vec({0.15f, 0.6f, 0.1f})));
    // ε = 0.5: the first entry is inactive for both, the last one shared (|−0.7| and |0.9| > ε).
    QVERIFY(close(ramOf("ram", base, inputs, {"epsilon=0.5"}), vec({0, 0.6f, 0.1f})));
    QVERIFY(close(ramOf("ram", base, inputs, {"epsilon=0.8"}), vec({0, 0, 0.9f})));
  }

  void ramplusByHand() {
    // Input 1: unique at j1, j2 (U = 2), shared at j0 (S = 1): ρ = 0.5. Input 2: unique at j3 (U = 1), shared
    // at j0 (S = 1): ρ = 1. r = 1, alpha = 1: λ = 1.5 and 2.
    const auto base = at::zeros({2, 2});
    const std::vector<at::Tensor> inputs = {mat({1, 2, 5, 0}, 2, 2), mat({3, 0, 0, 4}, 2, 2)};
    QVERIFY(close(ramOf("ramplus_tl", base, inputs, {"r=1", "alpha=1"}), mat({2, 3, 7.5f, 8}, 2, 2)));
    // alpha bounds ρ: alpha = 0.25 gives λ = 1.25 for both.
    QVERIFY(close(ramOf("ramplus_tl", base, inputs, {"r=1", "alpha=0.25"}), mat({2, 2.5f, 6.25f, 5}, 2, 2)));
    // Defaults r = 0.1, alpha = 0.2: λ = 1 + 0.1·0.2 = 1.02 for both (ρ ≥ 0.2).
    QVERIFY(close(ramOf("ramplus_tl", base, inputs), mat({2, 2.04f, 5.1f, 4.08f}, 2, 2)));
    // r = 0 is plain RAM.
    QVERIFY(close(ramOf("ramplus_tl", base, inputs, {"r=0"}), ramOf("ram", base, inputs)));
  }

  void ramplusInputWithoutUniqueEntries() {
    // Input 2 changes only shared entries: U = 0, ρ = S / ε is bounded by alpha, no NaN.
    const auto base = vec({0, 0, 0});
    const std::vector<at::Tensor> inputs = {vec({2, 4, 1}), vec({4, 0, 0})};
    const auto out = ramOf("ramplus_tl", base, inputs, {"r=1", "alpha=0.5"});
    // Input 1: S = 1, U = 2 → ρ = 0.5, λ = 1.5.
    QVERIFY(close(out, vec({3, 6, 1.5f})));
    // An input that changes nothing (U = S = 0) contributes nothing.
    QVERIFY(close(ramOf("ramplus_tl", base, {vec({2, 4, 1}), vec({0, 0, 0})}, {"r=1", "alpha=0.5"}),
                  vec({2, 4, 1})));
  }

  void identicalZeroAndOneDInputs() {
    const auto theta = at::randn({4, 3});
    QVERIFY(close(ramOf("ram", theta, {theta, theta}), theta));
    QVERIFY(close(ramOf("ramplus_tl", theta, {theta, theta}), theta));
    QVERIFY(close(ramOf("ram", at::zeros({5}), {at::zeros({5})}), at::zeros({5})));
    // Identical non-zero changes from every input are shared: their mean is the change itself.
    const auto moved = theta + 0.5;
    QVERIFY(close(ramOf("ram", theta, {moved, moved, moved}), moved));
    // One input: every change above ε kept (× λ for RAM+, whose S = 0 gives λ = 1).
    QVERIFY(close(ramOf("ramplus_tl", theta, {moved}), moved));
  }

  void bf16RoundsEpsilonLikeTorch() {
    // 1.0013580322265625e-05 is bf16(1e-5): above epsilon in float32, equal to it (so inactive) when the
    // comparison runs in bf16, where torch rounds the scalar 1e-5 to the tensor's dtype.
    const auto base = vec({0, 0});
    const std::vector<at::Tensor> inputs = {vec({1.0013580322265625e-05f, 0.5f})};
    QVERIFY(close(ramMerge(inputs, base, 1e-5), vec({1.0013580322265625e-05f, 0.5f}), 0, 0));
    QVERIFY(close(ramMerge(inputs, base, 1e-5, std::nullopt, Precision::BF16), vec({0, 0.5f}), 0, 0));
    // Shared entries: (0.5 + 0.25 + 0.25)/3 → each τ/3 rounded to bf16, their sum rounded once.
    const std::vector<at::Tensor> three = {vec({0.5f}), vec({0.25f}), vec({0.25f})};
    const float third = static_cast<float>(c10::BFloat16(0.5f / 3)),
                sixth = static_cast<float>(c10::BFloat16(0.25f / 3));
    const float expected = static_cast<float>(c10::BFloat16(third + sixth + sixth));
    QVERIFY(close(ramMerge(three, vec({0}), 1e-5, std::nullopt, Precision::BF16), vec({expected}), 0, 0));
  }

  void ignoresWeights() {
    const auto base = at::randn({3, 3});
    const std::vector<at::Tensor> inputs = {base + at::randn({3, 3}), base + at::randn({3, 3})};
    QVERIFY(close(ramOf("ram", base, inputs, {}, {0.2, 5.0}), ramOf("ram", base, inputs)));
    QVERIFY(close(ramOf("ramplus_tl", base, inputs, {}, {0.2, 5.0}), ramOf("ramplus_tl", base, inputs)));
  }

  void badCalls() {
    const auto v = vec({1, 2});
    MG_VERIFY_THROWS(parseMergeParams("ramplus_tl", {"alpha=-1"}), std::invalid_argument,
                     "alpha must be in [0, inf), got -1");
    MG_VERIFY_THROWS(parseMergeParams("ram", {"epsilon=1"}), std::invalid_argument,
                     "epsilon must be in [0, 1)");
    MG_VERIFY_THROWS(parseMergeParams("ram", {"r=1"}), std::invalid_argument,
                     "unknown parameter 'r' for method ram");
    MG_VERIFY_THROWS(ramOf("ramplus_tl", v, {v}, {"epsilon=0"}), std::invalid_argument,
                     "ramplus_tl: epsilon must be > 0");
    MG_VERIFY_THROWS(merge("ram", {v}, std::nullopt, {}, {}, "w"), std::invalid_argument,
                     "ram needs a base model");
    MG_VERIFY_THROWS(ramMerge({}, v, 1e-5), std::invalid_argument, "ram needs at least 1 input, got 0");
    MG_VERIFY_THROWS(ramMerge({vec({1, 2, 3})}, v, 1e-5), std::invalid_argument, "input 1 has shape");
    // ε = 0 is fine for plain RAM: every non-zero change is active.
    QVERIFY(close(ramOf("ram", at::zeros({2}), {vec({1e-7f, 0})}, {"epsilon=0"}), vec({1e-7f, 0}), 0, 0));
  }
};

MG_TEST_APPLESS_MAIN(RamTest)
#include "test_ram.moc"
