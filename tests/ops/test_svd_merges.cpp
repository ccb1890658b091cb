// iso_c, iso_cts and tsv (spec, "iso_c, iso_cts, tsv"): against the independent float64 PyTorch reference
// written from the papers (tests/reference/svd_merges_reference.py) on random tensors of several shapes, and
// the properties the methods are made for: Iso-C's and Iso-CTS's updates have a flat spectrum, TSV's
// decorrelated bases are orthonormal (so its update's singular values are exactly the tasks' kept ones),
// tensors of fewer than 2 dimensions get task arithmetic.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <ATen/CPUGeneratorImpl.h>

#include "ops/merge_method.h"
#include "reference_harness.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::ReferenceCase;

namespace {

at::Tensor mergeOf(const std::string& method, const at::Tensor& base, std::vector<at::Tensor> inputs,
                   std::vector<std::string> assignments = {}, std::vector<double> weights = {}) {
  return merge(method, std::move(inputs), base, weights, parseMergeParams(method, assignments), "w");
}

// A base ~ N(0, 1) and `count` inputs base + 0.1·N(0, 1) of `shape`, seeded.
std::pair<at::Tensor, std::vector<at::Tensor>> randomModels(std::vector<std::int64_t> shape, int count,
                                                            std::uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto base = at::randn(shape, generator, at::kFloat);
  std::vector<at::Tensor> inputs;
  for (int i = 0; i < count; ++i)
    inputs.push_back(base + 0.1 * at::randn(shape, generator, at::kFloat));
  return {base, inputs};
}

at::Tensor singularValues(const at::Tensor& matrix) {
  return at::linalg_svdvals(matrix.to(at::kDouble));
}

// Whether every singular value of `matrix` is `value` (relative 1e-4).
bool flatSpectrum(const at::Tensor& matrix, double value) {
  const auto s = singularValues(matrix);
  const double lo = s.min().item<double>(), hi = s.max().item<double>();
  if (std::abs(lo - value) <= 1e-4 * value && std::abs(hi - value) <= 1e-4 * value) return true;
  qWarning("singular values %g .. %g, expected all %g", lo, hi, value);
  return false;
}

ReferenceCase svdCase(const std::string& method, const char* shapeName, std::vector<std::int64_t> shape,
                      std::size_t inputs, std::vector<double> weights, std::vector<std::string> params) {
  ReferenceCase c;
  c.method = method;
  c.shape = std::move(shape);
  c.inputs = inputs;
  c.weights = std::move(weights);
  c.id = method + "/" + shapeName + "/" + std::to_string(inputs);
  for (const auto& p : params)
    c.id += "/" + p;
  if (!c.weights.empty()) c.id += "/weighted";
  c.params = std::move(params);
  // Merganser in float32 against a float64 reference: the SVDs' float32 error, on updates of size ~0.1.
  c.rtol = 1e-4;
  c.atol = 2e-5;
  return c;
}

} // namespace

class SvdMergesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void matchesTheReference() {
    const std::vector<std::pair<const char*, std::vector<std::int64_t>>> shapes = {
        {"1d", {7}},       {"tall", {6, 5}},   {"wide", {5, 9}},
        {"3d", {4, 3, 5}}, {"embed", {40, 8}}, {"row", {1, 6}}};
    std::vector<ReferenceCase> cases;
    for (const auto& [name, shape] : shapes) {
      for (const std::size_t inputs : {1, 2, 3}) {
        cases.push_back(svdCase("iso_c", name, shape, inputs, {}, {}));
        cases.push_back(svdCase("tsv", name, shape, inputs, {}, {}));
        cases.push_back(svdCase("iso_cts", name, shape, inputs, {}, {}));
        // Budgets: half common; none common (the tasks' share rounded down to fit the rank); all common.
        for (const char* fraction : {"common_fraction=0.5", "common_fraction=0", "common_fraction=1"})
          cases.push_back(svdCase("iso_cts", name, shape, inputs, {}, {fraction}));
      }
      for (const char* method : {"iso_c", "iso_cts", "tsv"})
        cases.push_back(svdCase(method, name, shape, 3, {0.5, 1.5, -0.7}, {"lambda=1.3"}));
    }
    std::string skip;
    const auto results = test::runReference(cases, skip);
    if (!results) QSKIP(skip.c_str());
    const auto failures = test::compareWithReference(cases, *results);
    for (const auto& failure : failures)
      qWarning("%s", failure.c_str());
    QVERIFY2(failures.empty(), (std::to_string(failures.size()) + " of " + std::to_string(cases.size()) +
                                " cases differ from the reference (listed above)")
                                   .c_str());
  }

  void isoCSpectrumIsFlat() {
    // Every singular value of the update is λ·mean(S) of M = Σ w_i τ_i, with M's singular vectors.
    const auto [base, inputs] = randomModels({12, 7}, 3, 1);
    const std::vector<double> weights = {1.0, 0.5, 2.0};
    const auto out = mergeOf("iso_c", base, inputs, {"lambda=0.7"}, weights);
    auto sum = at::zeros_like(base);
    for (std::size_t i = 0; i < inputs.size(); ++i)
      sum += weights[i] * (inputs[i] - base);
    const double meanS = singularValues(sum).mean().item<double>();
    QVERIFY(flatSpectrum(out - base, 0.7 * meanS));
    // The same directions as M: projecting M onto the update's row space loses nothing.
    const auto [u, s, vh] = at::linalg_svd((out - base).to(at::kDouble), false);
    QVERIFY(close(at::matmul(u, at::matmul(u.t(), sum.to(at::kDouble))), sum.to(at::kDouble), 1e-6, 1e-6));
    // Task arithmetic's update is not flat (the property would not hold by accident).
    const auto ta = mergeOf("task_arithmetic", base, inputs, {"lambda=0.7"}, weights);
    const auto taS = singularValues(ta - base);
    QVERIFY(taS.max().item<double>() > 1.5 * taS.min().item<double>());
  }

  void isoCtsSpectrumIsFlatAndFractionOneIsIsoC() {
    const auto [base, inputs] = randomModels({16, 10}, 3, 2);
    const auto update = mergeOf("iso_cts", base, inputs, {"common_fraction=0.5"}) - base;
    const auto s = singularValues(update);
    QVERIFY(flatSpectrum(update, s.mean().item<double>()));
    QCOMPARE(s.size(0), 10); // full rank: common + task-specific directions fill the rank budget
    QVERIFY(close(mergeOf("iso_cts", base, inputs, {"common_fraction=1"}), mergeOf("iso_c", base, inputs)));
    // Task-specific directions change the result.
    QVERIFY(!at::allclose(mergeOf("iso_cts", base, inputs), mergeOf("iso_c", base, inputs), 1e-4, 1e-5));
  }

  void tsvBasesAreOrthonormal() {
    // U⊥ and V⊥ orthonormal ⇔ the update U⊥·S·V⊥ᵀ has exactly the stacked singular values S: each task's
    // top r/T = 10/2 = 5 singular values. Without the Procrustes step (U·S·Vᵀ of the raw stacks, whose
    // columns overlap) the singular values differ.
    const auto [base, inputs] = randomModels({14, 10}, 2, 3);
    const auto update = mergeOf("tsv", base, inputs) - base;
    std::vector<at::Tensor> kept;
    std::vector<at::Tensor> us, vhs;
    for (const auto& input : inputs) {
      const auto [u, s, vh] = at::linalg_svd((input - base).to(at::kDouble), false);
      kept.push_back(s.narrow(0, 0, 5));
      us.push_back(u.narrow(1, 0, 5) * s.narrow(0, 0, 5));
      vhs.push_back(vh.narrow(0, 0, 5));
    }
    const auto expected = std::get<0>(at::sort(at::cat(kept), 0, /*descending=*/true));
    QVERIFY(close(singularValues(update), expected, 1e-4, 1e-5));
    const auto raw = at::matmul(at::cat(us, 1), at::cat(vhs, 0));
    QVERIFY(!at::allclose(singularValues(raw), expected, 1e-3, 1e-4));
    // One task keeps its whole spectrum: the update is the task vector itself.
    QVERIFY(close(mergeOf("tsv", base, {inputs[0]}), inputs[0], 1e-5, 1e-5));
  }

  void tsvOfTasksInSeparateSubspacesIsTheirSum() {
    // τ_1 and τ_2 of rank ≤ 2 in orthogonal row and column spaces: TSV keeps r/T = 2 directions of each,
    // which are all of them and already orthogonal, so TSV is task arithmetic.
    auto tau1 = at::zeros({6, 4});
    auto tau2 = at::zeros({6, 4});
    tau1.narrow(0, 0, 2).narrow(1, 0, 2).copy_(test::mat({1, 2, -3, 0.5f}, 2, 2));
    tau2.narrow(0, 3, 2).narrow(1, 2, 2).copy_(test::mat({0.3f, -1, 2, 4}, 2, 2));
    const auto base = at::randn({6, 4});
    const auto expected = base + 0.8 * (tau1 + tau2);
    QVERIFY(close(mergeOf("tsv", base, {base + tau1, base + tau2}, {"lambda=0.8"}), expected, 1e-5, 1e-5));
  }

  void randomizedTsvApproximatesTheExactOne() {
    // 8 tasks on a 64 × 48 matrix keep r/T = 6 directions each: the randomized SVD samples 16 of 48. Task
    // vectors of 6 directions of decaying strength plus noise 1e-5 (a spectrum that decays past the kept
    // directions, as fine-tuning's does) are captured closely. (With fewer than 6 strong directions TSV would
    // keep noise directions, which any SVD may pick differently.)
    auto generator = at::make_generator<at::CPUGeneratorImpl>(9);
    const auto base = at::randn({64, 48}, generator);
    const auto strengths = at::tensor(std::vector<float>{1.0f, 0.8f, 0.6f, 0.5f, 0.4f, 0.3f});
    std::vector<at::Tensor> inputs;
    for (int i = 0; i < 8; ++i) {
      const auto left = std::get<0>(at::linalg_qr(at::randn({64, 6}, generator)));
      const auto right = std::get<0>(at::linalg_qr(at::randn({48, 6}, generator)));
      inputs.push_back(base + at::matmul(left * strengths, right.t()) +
                       1e-5 * at::randn({64, 48}, generator));
    }
    const auto exact = mergeOf("tsv", base, inputs);
    const auto randomized = mergeOf("tsv", base, inputs, {"randomized_svd=true", "seed=3"});
    QVERIFY(close(randomized - base, exact - base, 1e-3, 2e-4));
    // Seeded: the same seed gives the same bits; another seed other (sampled) bits.
    QVERIFY(at::equal(mergeOf("tsv", base, inputs, {"randomized_svd=true", "seed=3"}), randomized));
    QVERIFY(!at::equal(mergeOf("tsv", base, inputs, {"randomized_svd=true", "seed=4"}), randomized));
  }

  void vectorsGetTaskArithmetic() {
    const auto [base, inputs] = randomModels({9}, 3, 4);
    const std::vector<double> weights = {0.3, 1.0, -2.0};
    const auto expected = mergeOf("task_arithmetic", base, inputs, {"lambda=1.4"}, weights);
    for (const char* method : {"iso_c", "iso_cts", "tsv"})
      QVERIFY2(close(mergeOf(method, base, inputs, {"lambda=1.4"}, weights), expected), method);
    // A scalar too.
    const auto scalar = at::scalar_tensor(2.0f);
    QVERIFY(close(mergeOf("iso_c", scalar, {scalar + 1, scalar + 3}), at::scalar_tensor(6.0f)));
  }

  void higherDimensionalTensorsAreFlattenedByTheirFirstDim() {
    const auto [base, inputs] = randomModels({4, 3, 2, 2}, 2, 5);
    for (const char* method : {"iso_c", "iso_cts", "tsv"}) {
      std::vector<at::Tensor> flat;
      for (const auto& input : inputs)
        flat.push_back(input.reshape({4, 12}));
      const auto expected = mergeOf(method, base.reshape({4, 12}), flat).reshape({4, 3, 2, 2});
      QVERIFY2(close(mergeOf(method, base, inputs), expected), method);
    }
  }

  void equalModelsGiveTheBase() {
    const auto base = at::randn({5, 3});
    for (const char* method : {"iso_c", "iso_cts", "tsv"})
      QVERIFY2(close(mergeOf(method, base, {base.clone(), base.clone()}), base), method);
  }

  void refusesBadCalls() {
    const auto base = at::randn({4, 4});
    MG_VERIFY_THROWS(merge("iso_c", {base}, std::nullopt, {}, {}, "w"), std::invalid_argument,
                     "iso_c needs a base model");
    MG_VERIFY_THROWS(parseMergeParams("iso_cts", {"common_fraction=1.5"}), std::invalid_argument,
                     "common_fraction must be in [0, 1], got 1.5");
    MG_VERIFY_THROWS(parseMergeParams("tsv", {"common_fraction=0.5"}), std::invalid_argument,
                     "unknown parameter 'common_fraction' for method tsv");
    QCOMPARE(parseMergeParams("iso_cts", {}).commonFraction, 0.8);
    MG_VERIFY_THROWS(parseMergeParams("iso_c", {"randomized_svd=true"}), std::invalid_argument,
                     "unknown parameter 'randomized_svd' for method iso_c");
    MG_VERIFY_THROWS(mergeOf("tsv", base, {at::randn({4, 5})}), std::invalid_argument, "shape mismatch");
  }
};

MG_TEST_APPLESS_MAIN(SvdMergesTest)
#include "test_svd_merges.moc"
