// linear, slerp, nuslerp, multislerp, karcher, model_stock, sce and passthrough against hand-computed values
// (spec, "Other methods").
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <cmath>

#include "ops/linear.h"
#include "ops/merge_method.h"
#include "ops/slerp.h"
#include "ops/spherical_mean.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::mat;
using test::vec;

namespace {

const float kSqrtHalf = 0.70710678f; // sin(π/4)

MergeParams params(const char* method, std::vector<std::string> assignments) {
  return parseMergeParams(method, assignments);
}

} // namespace

class InterpolationMethodsTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void linearByHand() {
    // (1·[1, 2] + 3·[3, 6]) / 4 = [2.5, 5]
    const std::vector<at::Tensor> inputs = {vec({1, 2}), vec({3, 6})};
    QVERIFY(close(merge("linear", inputs, std::nullopt, {1, 3}, {}, "w"), vec({2.5, 5})));
    QVERIFY(close(merge("linear", inputs, std::nullopt, {1, 3}, params("linear", {"normalize=false"}), "w"),
                  vec({10, 20})));
    MG_VERIFY_THROWS(merge("linear", inputs, std::nullopt, {1, -1}, {}, "w"), std::invalid_argument,
                     "weights sum to zero");
  }

  void linearOfIdenticalModelsIsIdentity() {
    const auto theta = at::randn({6, 4});
    const auto out = merge("linear", {theta, theta, theta}, std::nullopt, {0.2, 0.3, 0.5}, {}, "w");
    QVERIFY(close(out, theta));
  }

  void slerpByHand() {
    // Orthogonal: θ = π/2, t = 0.5: sin(π/4)·v0 + sin(π/4)·v1 on the original (unnormalized) vectors.
    QVERIFY(close(slerp(vec({2, 0}), vec({0, 4}), 0.5), vec({2 * kSqrtHalf, 4 * kSqrtHalf})));
    // t = 1/3: sin(π/3)·v0 + sin(π/6)·v1
    QVERIFY(close(slerp(vec({2, 0}), vec({0, 4}), 1.0 / 3.0), vec({2 * 0.8660254f, 4 * 0.5f})));
    // A zero vector is not normalized: dot = 0, so θ = π/2 again.
    QVERIFY(close(slerp(vec({0, 0}), vec({1, 0}), 0.5), vec({kSqrtHalf, 0})));
  }

  void slerpEndpoints() {
    const auto v0 = at::randn({5, 3});
    const auto v1 = at::randn({5, 3});
    QVERIFY(at::equal(slerp(v0, v1, 0.0), v0));
    QVERIFY(at::equal(slerp(v0, v1, 1.0), v1));
    // Through merge(): the base is the first endpoint.
    QVERIFY(at::equal(merge("slerp", {v1}, v0, {}, params("slerp", {"t=0"}), "w"), v0));
    QVERIFY(at::equal(merge("slerp", {v0, v1}, std::nullopt, {}, params("slerp", {"t=1"}), "w"), v1));
  }

  void slerpColinearFallsBackToLerp() {
    // |dot| > 0.9995: lerp of the original vectors, 0.75·v0 + 0.25·v1
    QVERIFY(close(slerp(vec({1, 2, 3}), vec({2, 4, 6.001f}), 0.25), vec({1.25, 2.5, 3.75025f})));
    // Exactly opposite (dot = −1) also lerps.
    QVERIFY(close(slerp(vec({1, 2, 3}), vec({-2, -4, -6}), 0.5), vec({-0.5, -1, -1.5})));
  }

  void nuslerpByHand() {
    // t = w2/(w1+w2) = 0.75 on orthogonal unit vectors: [sin(π/8), sin(3π/8)]
    const auto expected = vec({0.38268343f, 0.92387953f});
    QVERIFY(close(merge("nuslerp", {vec({1, 0}), vec({0, 1})}, std::nullopt, {1, 3}, {}, "w"), expected));
    // With a base: base + nuslerp of the task vectors
    const auto base = vec({1, 1});
    QVERIFY(close(merge("nuslerp", {vec({2, 1}), vec({1, 2})}, base, {1, 3}, {}, "w"), base + expected));
    QCOMPARE(nuslerpFactor(1, -1), 0.5);
  }

  void nuslerpRowsAndColumns() {
    const auto v0 = mat({1, 0, 2, 0}, 2, 2);
    const auto v1 = mat({0, 1, 4, 0}, 2, 2);
    // Vectors along the last dim: row 0 orthogonal → [√½, √½]; row 1 colinear → lerp [3, 0].
    QVERIFY(close(nuslerp(v0, v1, 0.5, /*rowWise=*/false, /*flatten=*/false),
                  mat({kSqrtHalf, kSqrtHalf, 3, 0}, 2, 2)));
    // rowWise (mergekit's nuslerp_row_wise): vectors along dim 0. Column 0: [1, 2] and [0, 4],
    // cos = 8/(√5·4), θ = 0.4636476, k = sin(θ/2)/sin θ = 0.5137431 → k·[1, 6]; column 1: [0, 0] and [1, 0]
    // (a zero vector is clamped, cos = 0) → sin(π/4)·[1, 0].
    QVERIFY(close(nuslerp(v0, v1, 0.5, /*rowWise=*/true, /*flatten=*/false),
                  mat({0.5137431f, kSqrtHalf, 3.0824589f, 0}, 2, 2)));
  }

  void multislerpByHand() {
    // Norms 2 and 4, equal weights: the unit bisector times Σ ŵ_i‖x_i‖ = 3
    QVERIFY(close(multislerp({vec({2, 0}), vec({0, 4})}, {1, 1}, true), vec({3 * kSqrtHalf, 3 * kSqrtHalf})));
    // Two antipodal inputs: lerp with the normalized weights; three: an error.
    QVERIFY(close(multislerp({vec({1, 0}), vec({-1, 0})}, {1, 1}, true), vec({0, 0})));
    MG_VERIFY_THROWS(multislerp({vec({1, 0}), vec({-1, 0}), vec({0, 0})}, {1, 1, 1}, true),
                     std::invalid_argument, "weighted sum of the unit inputs is zero");
  }

  void karcherOfIdenticalUnitVectors() {
    const auto u = vec({0.6f, 0.8f});
    QVERIFY(close(merge("karcher", {u, u, u}, std::nullopt, {1, 2, 3}, {}, "w"), u));
  }

  void karcherWeighsModelsEquallyWithTheBaseAsOne() {
    // mergekit: the weights are ignored and the base is one more point. e1·2 (weight 3) and the base e2:
    // equal weights give the bisector, scaled by the mean norm (2 + 1)/2.
    const auto out = merge("karcher", {vec({2, 0})}, vec({0, 1}), {3}, {}, "w");
    QVERIFY(close(out, vec({1.5f * kSqrtHalf, 1.5f * kSqrtHalf})));
    std::vector<std::string> warnings;
    const auto same = merge("karcher", {vec({2, 0}), vec({0, 1})}, std::nullopt, {3, 1}, {},
                            TensorContext("w", false, &warnings));
    QVERIFY(close(same, vec({1.5f * kSqrtHalf, 1.5f * kSqrtHalf})));
    QCOMPARE(warnings.size(), std::size_t(1)); // says the weights are ignored
  }

  void karcherByHand() {
    // weighted=true: on a circle the weighted Karcher mean of e1 (weight 3) and e2 (weight 1) is at angle φ
    // with 3φ = π/2 − φ → φ = π/8; the norms 2 and 1 rescale it by 0.75·2 + 0.25·1 = 1.75.
    const auto weighted = params("karcher", {"weighted=true"});
    const auto out = merge("karcher", {vec({2, 0}), vec({0, 1})}, std::nullopt, {3, 1}, weighted, "w");
    QVERIFY(close(out, vec({1.75f * 0.92387953f, 1.75f * 0.38268343f})));
    // With a base, on the task vectors: base [1, 1] + the same mean of [2, 0] and [0, 1].
    const auto onBase = merge("karcher", {vec({3, 1}), vec({1, 2})}, vec({1, 1}), {3, 1}, weighted, "w");
    QVERIFY(close(onBase, vec({1 + 1.75f * 0.92387953f, 1 + 1.75f * 0.38268343f})));
    // Orthogonal unit vectors with equal weights: the bisector.
    QVERIFY(
        close(karcherMean({vec({1, 0}), vec({0, 1})}, {1, 1}, true, 10, 1e-5), vec({kSqrtHalf, kSqrtHalf})));
    // All inputs zero: zeros.
    QVERIFY(at::equal(karcherMean({vec({0, 0}), vec({0, 0})}, {1, 1}, true, 10, 1e-5), vec({0, 0})));
  }

  void modelStockTwoModels() {
    // Task vectors [1, 0] and [1, 1]: cos = 1/√2, t = 2cos/(1+cos) = 2√2 − 2 = 0.8284271;
    // out = t·mean + (1−t)·base = [1 + t, 1 + t/2] for base [1, 1], mean [2, 1.5].
    const auto base = vec({1, 1});
    const auto out = merge("model_stock", {vec({2, 1}), vec({2, 2})}, base, {}, {}, "w");
    QVERIFY(close(out, vec({1.8284271f, 1.4142136f})));
  }

  void modelStockPerTensorAndPerRow() {
    const auto base = mat({1, 1, 0, 0}, 2, 2);
    const std::vector<at::Tensor> inputs = {mat({2, 1, 1, 0}, 2, 2), mat({2, 2, 0, 1}, 2, 2)};
    // Per row: row 0 as in modelStockTwoModels; row 1 has orthogonal task vectors, t = 0 → base row.
    QVERIFY(close(merge("model_stock", inputs, base, {}, params("model_stock", {"row_wise=true"}), "w"),
                  mat({1.8284271f, 1.4142136f, 0, 0}, 2, 2)));
    // Per tensor: task vectors [1,0,1,0] and [1,1,0,1], cos = 1/√6, t = 0.5797959;
    // mean [[2, 1.5], [0.5, 0.5]]: out = t·mean + (1−t)·base
    QVERIFY(close(merge("model_stock", inputs, base, {}, {}, "w"),
                  mat({1.5797959f, 1.2898979f, 0.2898979f, 0.2898979f}, 2, 2)));
    // filter_wise on 3-D: one ratio per vector along the last dimension (mergekit), not per dim-0 slice.
    const auto base3 = at::zeros({2, 2, 2});
    const auto a = at::stack({mat({1, 0, 1, 0}, 2, 2), mat({1, 0, 0, 1}, 2, 2)}); // task vectors (base 0)
    const auto b = at::stack({mat({1, 1, 1, 0}, 2, 2), mat({0, 1, 1, 0}, 2, 2)});
    // Vectors [1,0] vs [1,1]: cos 1/√2, t = 0.8284271 times the mean [1, 0.5]; equal vectors: t = 1, the
    // mean; orthogonal ones: t = 0, the base (0).
    const auto t2 = 0.8284271f;
    const auto expected3 = at::stack({mat({t2, t2 * 0.5f, 1, 0}, 2, 2), at::zeros({2, 2})});
    QVERIFY(close(merge("model_stock", {a, b}, base3, {}, params("model_stock", {"filter_wise=true"}), "w"),
                  expected3));
    // filter_wise on a vector: one ratio for the whole vector (mergekit), as without filter_wise.
    QVERIFY(close(merge("model_stock", {vec({2, 1}), vec({2, 2})}, vec({1, 1}), {},
                        params("model_stock", {"filter_wise=true"}), "w"),
                  vec({1.8284271f, 1.4142136f})));
    // Exactly opposite task vectors make t undefined.
    MG_VERIFY_THROWS(merge("model_stock", {vec({2, 1}), vec({0, 1})}, vec({1, 1}), {}, {}, "w"),
                     std::invalid_argument, "opposite");
  }

  void sceByHand() {
    // τ1 = [1, −2, 3], τ2 = [3, 2, −2]: weights mean(τ²) = 14/3 and 17/3 → 14/31, 17/31;
    // Σ τ = [4, 0, 1] → signs [+, + (zero), +]; agree1 = [1, 0, 1], agree2 = [1, 1, 0]
    // mixed / Σ agreeing weights = [(14 + 51)/31, 2, 3]
    const auto base = at::zeros({3});
    const std::vector<at::Tensor> inputs = {vec({1, -2, 3}), vec({3, 2, -2})};
    QVERIFY(close(merge("sce", inputs, base, {}, {}, "w"), vec({65.f / 31.f, 2, 3})));
    // select_topk = 0.5: variances [1, 4, 6.25], k = int(0.5·3) = 1 keeps position 2 only:
    // τ1 = [0, 0, 3], τ2 = [0, 0, −2]; Σ = 1 > 0 so τ2 is erased → [0, 0, 3]
    QVERIFY(close(merge("sce", inputs, base, {}, params("sce", {"select_topk=0.5"}), "w"), vec({0, 0, 3})));
    // Task vectors of LLM size (1e-4): Σ mean(τ²) = 1.03e-7 < 1e-6, so mergekit weighs them equally:
    // position 0 is (1 + 3)/2·1e-4 instead of 65/31·1e-4.
    const std::vector<at::Tensor> small = {vec({1e-4f, -2e-4f, 3e-4f}), vec({3e-4f, 2e-4f, -2e-4f})};
    QVERIFY(close(merge("sce", small, base, {}, {}, "w"), vec({2e-4f, 2e-4f, 3e-4f}), 1e-5, 1e-10));
  }

  void passthroughScales() {
    QVERIFY(
        close(merge("passthrough", {vec({1, -2})}, std::nullopt, {}, params("passthrough", {"scale=2"}), "w"),
              vec({2, -4})));
    QVERIFY(at::equal(passthrough(vec({1, -2}), 1.0), vec({1, -2})));
  }
};

MG_TEST_APPLESS_MAIN(InterpolationMethodsTest)
#include "test_interpolation_methods.moc"
