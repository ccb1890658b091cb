// Every merge method and parameter form against the independent PyTorch reference of mergekit's methods
// (tests/reference/), on random float32 inputs of several shapes: 1-D, 2-D, 3-D and embedding-like.
// DARE and DELLA draw their masks from Merganser's own seeded generator, not torch's global one, so here
// they run at density 1 (no mask); their masks' statistics are tested in test_random_pruning.cpp.
// The same cases run again in bf16 and f16 (mergekit's default: the checkpoint's dtype), compared in ulps.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "reference_harness.h"

using namespace mg;
using test::ReferenceCase;

namespace {

struct Shape {
  const char* name;
  std::vector<std::int64_t> sizes;
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> list = {{"1d", {7}}, {"2d", {6, 5}}, {"3d", {3, 4, 5}}, {"embed", {40, 8}}};
  return list;
}

ReferenceCase makeCase(const std::string& method, const Shape& shape, std::size_t inputs, bool base,
                       std::vector<double> weights, std::vector<std::string> params) {
  ReferenceCase c;
  c.method = method;
  c.shape = shape.sizes;
  c.inputs = inputs;
  c.base = base;
  c.weights = std::move(weights);
  std::string id = method + "/" + shape.name + "/" + std::to_string(inputs) + (base ? "+base" : "");
  for (const auto& p : params)
    id += "/" + p;
  c.id = id;
  c.params = std::move(params);
  c.isEmbed = std::string(shape.name) == "embed";
  return c;
}

// For every shape: the case with `params`.
void addForShapes(std::vector<ReferenceCase>& cases, const std::string& method, std::size_t inputs, bool base,
                  const std::vector<double>& weights, const std::vector<std::string>& params) {
  for (const auto& shape : shapes())
    cases.push_back(makeCase(method, shape, inputs, base, weights, params));
}

void interpolationCases(std::vector<ReferenceCase>& cases) {
  for (const auto& params : std::vector<std::vector<std::string>>{{}, {"normalize=false"}})
    addForShapes(cases, "linear", 3, false, {0.2, 0.5, 1.3}, params);
  for (const auto& params : std::vector<std::vector<std::string>>{{"t=0.3"}, {"t=0"}, {"t=1"}}) {
    addForShapes(cases, "slerp", 1, true, {}, params);
    addForShapes(cases, "slerp", 2, false, {}, params);
  }
  for (const auto& params :
       std::vector<std::vector<std::string>>{{},
                                             {"nuslerp_flatten=false"},
                                             {"nuslerp_flatten=false", "nuslerp_row_wise=true"},
                                             {"nuslerp_row_wise=true"}}) {
    addForShapes(cases, "nuslerp", 2, true, {0.3, 0.7}, params);
    addForShapes(cases, "nuslerp", 2, false, {2.0, 1.0}, params);
  }
  auto balanced = makeCase("nuslerp", shapes()[1], 2, true, {1.0, -1.0}, {}); // weights sum to 0: t = 0.5
  balanced.id += "/weights-sum-0";
  cases.push_back(balanced);
  for (const auto& params :
       std::vector<std::vector<std::string>>{{}, {"normalize_weights=false"}, {"eps=0.001"}}) {
    addForShapes(cases, "multislerp", 3, true, {0.2, 0.3, 0.5}, params);
    addForShapes(cases, "multislerp", 3, false, {1.0, 2.0, 0.5}, params);
  }
  // karcher: the weights are ignored and a base is one more point of equal weight (mergekit).
  for (const auto& params : std::vector<std::vector<std::string>>{{}, {"max_iter=2"}, {"tol=0.01"}}) {
    addForShapes(cases, "karcher", 2, true, {1.0, 3.0}, params);
    addForShapes(cases, "karcher", 3, false, {0.5, 1.0, 2.0}, params);
  }
}

void taskArithmeticCases(std::vector<ReferenceCase>& cases) {
  const std::vector<double> w = {1.0, 0.5, -0.3};
  for (const auto& params : std::vector<std::vector<std::string>>{
           {}, {"lambda=0.6"}, {"normalize=true"}, {"int8_mask=true"}, {"rescale=true"}})
    addForShapes(cases, "task_arithmetic", 3, true, w, params);
  for (const auto& method : {"ties", "breadcrumbs", "breadcrumbs_ties"}) {
    for (const auto& params :
         std::vector<std::vector<std::string>>{{"density=0.5"},
                                               {"density=0.3,0.6,0.9"},
                                               {"density=0.5", "normalize=true"},
                                               {"density=0.5", "normalize=false"},
                                               {"density=0.5", "rescale=true"},
                                               {"density=0.5", "lambda=1.5", "int8_mask=true"}}) {
      auto p = params;
      if (std::string(method) != "ties") p.push_back("gamma=0.1");
      addForShapes(cases, method, 3, true, w, p);
    }
  }
  for (const auto& method : {"breadcrumbs", "breadcrumbs_ties"}) {
    // gamma·n rounds to 0 outliers: mergekit keeps nothing of the task vector.
    addForShapes(cases, method, 2, true, {1.0, 1.0}, {"density=0.8", "gamma=0.01"});
    // gamma above 1 − density: fewer outliers dropped, none at the bottom.
    addForShapes(cases, method, 2, true, {1.0, 1.0}, {"density=0.9", "gamma=0.3"});
    addForShapes(cases, method, 2, true, {1.0, 1.0}, {"density=0.9", "gamma=0.3", "rescale=true"});
  }
  // Magnitude pruning that would keep nothing: int(0.1·7) = 0. mergekit refuses (an assertion).
  auto none = makeCase("ties", shapes()[0], 2, true, {}, {"density=0.1"});
  none.expectError = true;
  cases.push_back(none);
  // DARE and DELLA at density 1 (no mask): the mixing, consensus and normalization.
  for (const auto& method : {"dare_ties", "dare_linear", "della", "della_linear"}) {
    for (const auto& params : std::vector<std::vector<std::string>>{
             {}, {"density=1", "normalize=true"}, {"density=1", "rescale=false", "lambda=0.7"}})
      addForShapes(cases, method, 3, true, w, params);
  }
}

void otherCases(std::vector<ReferenceCase>& cases) {
  for (const auto& params : std::vector<std::vector<std::string>>{{}, {"filter_wise=true"}})
    for (const std::size_t n : {2, 3})
      addForShapes(cases, "model_stock", n, true, {}, params);
  auto alias = makeCase("model_stock", shapes()[2], 3, true, {}, {"row_wise=true"}); // the old name
  alias.referenceParams = std::vector<std::string>{"filter_wise=true"};
  cases.push_back(alias);

  for (const auto& params : std::vector<std::vector<std::string>>{
           {}, {"select_topk=0.5"}, {"select_topk=0.1"}, {"int8_mask=true"}})
    addForShapes(cases, "sce", 3, true, {}, params);
  // LLM-sized task vectors: Σ mean(τ²) < 1e-6, so mergekit weighs the models equally.
  for (const auto& shape : shapes()) {
    auto tiny = makeCase("sce", shape, 3, true, {}, {});
    tiny.id += "/tiny";
    // A zero base, so that the comparison's tolerance is relative to the task vectors themselves.
    auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
    tiny.tensors = {at::zeros(shape.sizes)};
    for (int i = 0; i < 3; ++i)
      tiny.tensors.push_back(1e-4 * at::randn(shape.sizes, generator, at::kFloat));
    tiny.atol = 1e-10;
    cases.push_back(tiny);
  }

  for (const auto& params : std::vector<std::vector<std::string>>{{}, {"scale=0.5"}})
    addForShapes(cases, "passthrough", 1, false, {}, params);
}

// The methods of mergekit's registry added for issue 13 (spec, "nearswap, arcee_fusion, ram, ramplus_tl").
void registryAdditionCases(std::vector<ReferenceCase>& cases) {
  for (const auto& t : {"t=0", "t=0.01", "t=0.1", "t=1"})
    addForShapes(cases, "nearswap", 1, true, {}, {t});
  addForShapes(cases, "arcee_fusion", 1, true, {}, {});
  for (const auto& shape : shapes()) { // large changes: the importance spreads over more entries
    auto wide = makeCase("arcee_fusion", shape, 1, true, {}, {});
    wide.id += "/wide";
    wide.deltaScale = 1.0;
    cases.push_back(wide);
  }
  // deltaScale 0.1 and epsilon 0.15: entries changed by none, one or several of the inputs.
  for (const auto& params : std::vector<std::vector<std::string>>{{}, {"epsilon=0.15"}, {"epsilon=0"}})
    for (const std::size_t n : {1, 3})
      addForShapes(cases, "ram", n, true, {}, params);
  for (const auto& params : std::vector<std::vector<std::string>>{
           {}, {"epsilon=0.15"}, {"epsilon=0.15", "r=1", "alpha=0.5"}, {"epsilon=0.1", "r=2", "alpha=3"}})
    for (const std::size_t n : {1, 3})
      addForShapes(cases, "ramplus_tl", n, true, {}, params);
  // mergekit refuses nearswap without t.
  auto noT = makeCase("nearswap", shapes()[0], 1, true, {}, {});
  noT.expectError = true;
  cases.push_back(noT);
}

// Debian's torch (1.13) lacks float16 CPU kernels that the other methods need (clamp_min, softmax, dot, cos,
// topk), so the reference runs only these in f16.
bool referenceRunsInF16(const std::string& method) {
  static const std::set<std::string> methods = {
      "linear",      "slerp", "task_arithmetic", "ties", "breadcrumbs", "breadcrumbs_ties", "dare_ties",
      "dare_linear", "della", "della_linear",    "ram",  "ramplus_tl",  "passthrough"};
  return methods.count(method) != 0;
}

// Every float32 case again with the compute dtype `precision` (mergekit's `dtype`: tensors loaded in it,
// every operation in it); `only` picks the cases.
void inComputeDtype(std::vector<ReferenceCase>& cases, ops::Precision precision,
                    const std::function<bool(const ReferenceCase&)>& only) {
  const auto count = cases.size();
  for (std::size_t i = 0; i < count; ++i) {
    if (cases[i].precision != ops::Precision::F32 || !only(cases[i])) continue;
    auto c = cases[i];
    c.id += std::string("/") + ops::toString(precision);
    c.precision = precision;
    c.maxUlps = 0; // bit for bit (tests/ops/reference_harness.h)
    cases.push_back(std::move(c));
  }
}

std::vector<ReferenceCase> float32Cases() {
  std::vector<ReferenceCase> cases;
  interpolationCases(cases);
  taskArithmeticCases(cases);
  otherCases(cases);
  registryAdditionCases(cases);
  return cases;
}

} // namespace

class MergekitParityTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void everyMethodMatchesTheReference() {
    test::checkReferenceCases(float32Cases(), "differ from the reference");
  }

  // mergekit computes in the checkpoint's dtype (bf16 for most LLMs): the same cases with every tensor in
  // bf16, and the 2-D ones in f16, against the reference running mergekit's torch code in that dtype.
  void everyMethodMatchesTheReferenceInBf16AndF16() {
    auto cases = float32Cases();
    inComputeDtype(cases, ops::Precision::BF16, [](const ReferenceCase&) { return true; });
    inComputeDtype(cases, ops::Precision::F16, [](const ReferenceCase& c) {
      return c.shape.size() == 2 && referenceRunsInF16(c.method);
    });
    cases.erase(std::remove_if(cases.begin(), cases.end(),
                               [](const ReferenceCase& c) { return c.precision == ops::Precision::F32; }),
                cases.end());
    test::checkReferenceCases(cases, "differ from the reference in bf16 / f16");
  }
};

MG_TEST_GUILESS_MAIN(MergekitParityTest)
#include "test_mergekit_parity.moc"
