// wudi (spec, "wudi"): against the independent float64 PyTorch reference (tests/reference/wudi_reference.py:
// the paper's loss through autograd and Adam written from Kingma & Ba) on random tensors of several shapes,
// in float32 and bf16; and what the method is for: Adam lowers the interference objective below task
// arithmetic's, step after step; vectors and steps = 0 are task arithmetic; the result is deterministic.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <ATen/CPUGeneratorImpl.h>

#include "ops/merge_method.h"
#include "ops/wudi_merge.h"
#include "reference_harness.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::ReferenceCase;

namespace {

at::Tensor wudiOf(const at::Tensor& base, std::vector<at::Tensor> inputs,
                  std::vector<std::string> params = {}, std::vector<double> weights = {}) {
  return merge("wudi", std::move(inputs), base, weights, parseMergeParams("wudi", params), "w");
}

// A base ~ N(0, 1) and `count` inputs base + 0.1·N(0, 1) of `shape`, seeded.
std::pair<at::Tensor, std::vector<at::Tensor>> wudiModels(std::vector<std::int64_t> shape, int count,
                                                          std::uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto base = at::randn(shape, generator, at::kFloat);
  std::vector<at::Tensor> inputs;
  for (int i = 0; i < count; ++i)
    inputs.push_back(base + 0.1 * at::randn(shape, generator, at::kFloat));
  return {base, inputs};
}

ReferenceCase wudiCase(const char* shapeName, std::vector<std::int64_t> shape, std::size_t inputs,
                       std::vector<std::string> params, std::vector<double> weights = {}) {
  ReferenceCase c;
  c.method = "wudi";
  c.shape = std::move(shape);
  c.inputs = inputs;
  c.weights = std::move(weights);
  c.id = std::string("wudi/") + shapeName + "/" + std::to_string(inputs);
  for (const auto& p : params)
    c.id += "/" + p;
  if (!c.weights.empty()) c.id += "/weighted";
  c.params = std::move(params);
  // float32 Adam against float64 Adam: the gradients' rounding, normalised by Adam, on updates of ~0.1.
  c.rtol = 1e-4;
  c.atol = 2e-5;
  return c;
}

} // namespace

class WudiTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void matchesTheReference() {
    const std::vector<std::pair<const char*, std::vector<std::int64_t>>> shapes = {
        {"1d", {7}}, {"tall", {9, 5}}, {"wide", {4, 11}}, {"3d", {4, 3, 5}}, {"row", {1, 6}}};
    std::vector<ReferenceCase> cases;
    for (const auto& [name, shape] : shapes) {
      for (const std::size_t inputs : {1, 2, 3})
        cases.push_back(wudiCase(name, shape, inputs, {"steps=40", "learning_rate=0.002"}));
      cases.push_back(
          wudiCase(name, shape, 3, {"steps=25", "learning_rate=0.003", "lambda=1.3"}, {0.5, 1.5, -0.7}));
      cases.push_back(wudiCase(name, shape, 2, {})); // the paper's 300 steps of 1e-5
    }
    // bf16: inputs rounded to bf16, float32 inside, the result rounded to bf16; the reference the same in
    // float64. One bf16 step apart at most (a float32 rounding may cross a bf16 midpoint).
    for (const auto& [name, shape] : shapes) {
      auto c = wudiCase(name, shape, 3, {"steps=30", "learning_rate=0.002"});
      c.id += "/bf16";
      c.precision = Precision::BF16;
      c.maxUlps = 1;
      cases.push_back(c);
    }
    test::checkReferenceCases(cases, "differ from the reference");
  }

  void adamLowersTheInterferenceBelowTaskArithmetic() {
    const auto [base, inputs] = wudiModels({16, 12}, 4, 1);
    std::vector<at::Tensor> taus;
    for (const auto& input : inputs)
      taus.push_back(input - base);
    const auto objectiveAfter = [&](int steps) {
      const auto merged = wudiOf(base, inputs, {"steps=" + std::to_string(steps), "learning_rate=0.002"});
      return wudiObjective(merged - base, taus);
    };
    const double start = objectiveAfter(0);
    const auto ta = merge("task_arithmetic", inputs, base, {}, parseMergeParams("task_arithmetic", {}), "w");
    QVERIFY(std::abs(start - wudiObjective(ta - base, taus)) <= 1e-9 * start); // steps=0: task arithmetic
    double previous = start;
    for (const int steps : {5, 20, 80, 200}) {
      const double now = objectiveAfter(steps);
      QVERIFY2(now < previous, (std::to_string(steps) + " steps: " + std::to_string(now) + ", before " +
                                std::to_string(previous))
                                   .c_str());
      previous = now;
    }
    QVERIFY2(previous < 0.5 * start, (std::to_string(previous) + " vs " + std::to_string(start)).c_str());
    // The paper's defaults (300 steps of 1e-5) move a little, downhill.
    const double defaults = wudiObjective(wudiOf(base, inputs) - base, taus);
    QVERIFY(defaults < start);
  }

  void vectorsAndZeroStepsAreTaskArithmetic() {
    const auto [base, inputs] = wudiModels({9}, 3, 2);
    const std::vector<double> weights = {0.3, 1.0, -2.0};
    const auto ta = merge("task_arithmetic", inputs, base, weights,
                          parseMergeParams("task_arithmetic", {"lambda=1.4"}), "w");
    QVERIFY(close(wudiOf(base, inputs, {"lambda=1.4"}, weights), ta));
    const auto [mBase, mInputs] = wudiModels({6, 5}, 2, 3);
    const auto mTa =
        merge("task_arithmetic", mInputs, mBase, {}, parseMergeParams("task_arithmetic", {}), "w");
    QVERIFY(close(wudiOf(mBase, mInputs, {"steps=0"}), mTa));
    QVERIFY(!at::allclose(wudiOf(mBase, mInputs, {"learning_rate=0.01", "steps=10"}), mTa, 1e-4, 1e-4));
    // Identical models: no task vector, the base.
    QVERIFY(close(wudiOf(mBase, {mBase.clone(), mBase.clone()}), mBase));
  }

  void deterministicAndFlattensHigherDimensions() {
    const auto [base, inputs] = wudiModels({4, 3, 2, 2}, 2, 4);
    const auto once = wudiOf(base, inputs, {"learning_rate=0.001", "steps=20"});
    QVERIFY(at::equal(once, wudiOf(base, inputs, {"learning_rate=0.001", "steps=20"})));
    std::vector<at::Tensor> flat;
    for (const auto& input : inputs)
      flat.push_back(input.reshape({4, 12}));
    QVERIFY(close(
        once,
        wudiOf(base.reshape({4, 12}), flat, {"learning_rate=0.001", "steps=20"}).reshape({4, 3, 2, 2})));
  }

  void schemaAndErrors() {
    const auto names = mergeMethodNames();
    QVERIFY(std::find(names.begin(), names.end(), "wudi") != names.end());
    const auto defaults = parseMergeParams("wudi", {});
    QCOMPARE(defaults.steps, 300);
    QCOMPARE(defaults.learningRate, 1e-5);
    QCOMPARE(defaults.lambda, 1.0);
    MG_VERIFY_THROWS(parseMergeParams("wudi", {"learning_rate=0"}), std::invalid_argument,
                     "learning_rate must be in (0, inf), got 0");
    MG_VERIFY_THROWS(parseMergeParams("wudi", {"steps=-3"}), std::invalid_argument,
                     "steps must be a non-negative integer");
    MG_VERIFY_THROWS(parseMergeParams("wudi", {"density=0.5"}), std::invalid_argument,
                     "unknown parameter 'density' for method wudi");
    const auto base = at::randn({4, 4});
    MG_VERIFY_THROWS(merge("wudi", {base}, std::nullopt, {}, {}, "w"), std::invalid_argument,
                     "wudi needs a base model");
  }
};

MG_TEST_APPLESS_MAIN(WudiTest)
#include "test_wudi.moc"
