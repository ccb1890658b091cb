// The method registry: schemas, parameter parsing and its errors, and the checks merge() makes before it
// runs a method.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "ops/merge_method.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::vec;

class MergeMethodTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void listsMethods() {
    const auto names = mergeMethodNames();
    for (const char* name :
         {"linear", "task_arithmetic", "ties", "dare_ties", "dare_linear", "breadcrumbs", "breadcrumbs_ties",
          "della", "della_linear", "magnitude_prune", "slerp", "nuslerp", "multislerp", "karcher",
          "model_stock", "sce", "passthrough", "fisher", "regmean"}) {
      QVERIFY2(std::find(names.begin(), names.end(), name) != names.end(), name);
    }
    for (const char* name : {"nearswap", "arcee_fusion", "ram", "ramplus_tl"}) { // added for issue 13
      QVERIFY2(std::find(names.begin(), names.end(), name) != names.end(), name);
    }
    for (const char* name : {"iso_c", "iso_cts", "tsv"}) { // added for issue 14
      QVERIFY2(std::find(names.begin(), names.end(), name) != names.end(), name);
    }
    QCOMPARE(mergeMethods().size(), names.size());
    QVERIFY(mergeMethod("fisher").needsData);
    QVERIFY(mergeMethod("ties").base == BaseUse::Required);
    MG_VERIFY_THROWS(mergeMethod("frankenmerge"), std::invalid_argument,
                     "unknown merge method 'frankenmerge'");
  }

  void schemaDefaultsMatchTheStruct() {
    // The text default of every non-optional parameter is what a default MergeParams holds.
    const MergeParams defaults;
    for (const auto& name : paramNames()) {
      const auto text = paramText(defaults, name);
      if (!text.empty()) {
        QCOMPARE(text, paramSpec(name).defaultValue);
      }
    }
    QCOMPARE(paramSpec("density").rangeText(), std::string("(0, 1]"));
  }

  void parsesValues() {
    const auto p = parseMergeParams("dare_ties", {"density=0.3,0.5", "rescale=inverse_density", "seed=42",
                                                  "lambda=-0.5", "normalize=yes", "consensus=count_peft"});
    QCOMPARE(p.densities, (std::vector<double>{0.3, 0.5}));
    QCOMPARE(p.densityOf(1), 0.5);
    QVERIFY(p.rescale == Rescale::InverseDensity);
    QCOMPARE(p.seed, std::uint64_t(42));
    QCOMPARE(p.lambda, -0.5);
    QVERIFY(p.normalize.value_or(false));
    QVERIFY(p.consensus == Consensus::CountPeft);
    QCOMPARE(paramText(p, "density"), std::string("0.3,0.5"));
    const auto slerp = parseMergeParams("slerp", {" t = 0.25 "});
    QCOMPARE(slerp.t, 0.25);
    QVERIFY(!parseMergeParams("ties", {}).normalize.has_value()); // the method default applies
  }

  void parseErrors() {
    MG_VERIFY_THROWS(parseMergeParams("ties", {"x=1"}), std::invalid_argument,
                     "unknown parameter 'x' for method ties");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"gamma=0.1"}), std::invalid_argument,
                     "unknown parameter 'gamma'");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"epsilon=0.1"}), std::invalid_argument,
                     "unknown parameter 'epsilon'");
    MG_VERIFY_THROWS(parseMergeParams("karcher", {"filter_wise=true"}), std::invalid_argument,
                     "unknown parameter 'filter_wise' for method karcher");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"density=1.5"}), std::invalid_argument,
                     "density must be in (0, 1], got 1.5");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"density=0"}), std::invalid_argument,
                     "density must be in (0, 1]");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"density=abc"}), std::invalid_argument,
                     "density must be a number");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"density=0.5,"}), std::invalid_argument,
                     "density must be a number");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"normalize=maybe"}), std::invalid_argument,
                     "normalize must be true or false");
    MG_VERIFY_THROWS(parseMergeParams("dare_ties", {"rescale=l2"}), std::invalid_argument,
                     "rescale must be one of false | true | inverse_density");
    MG_VERIFY_THROWS(parseMergeParams("dare_ties", {"seed=-1"}), std::invalid_argument,
                     "seed must be a non-negative integer");
    MG_VERIFY_THROWS(parseMergeParams("slerp", {"t=2"}), std::invalid_argument, "t must be in [0, 1], got 2");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"density"}), std::invalid_argument, "expected NAME=VALUE");
    MG_VERIFY_THROWS(parseMergeParams("ties", {"density=0.5", "density=0.6"}), std::invalid_argument,
                     "parameter 'density' given twice");
    MG_VERIFY_THROWS(parseMergeParams("karcher", {"max_iter=0"}), std::invalid_argument,
                     "max_iter must be in [1, 1000]");
    // An old name and its new one are the same parameter.
    MG_VERIFY_THROWS(parseMergeParams("model_stock", {"row_wise=true", "filter_wise=false"}),
                     std::invalid_argument, "parameter 'filter_wise' given twice");
  }

  void mergekitNamesAndTheirAliases() {
    // mergekit's names are the parameters' names; the earlier ones still read, per method.
    QVERIFY(parseMergeParams("model_stock", {"filter_wise=true"}).filterWise);
    QVERIFY(parseMergeParams("model_stock", {"row_wise=true"}).filterWise);
    const auto nu = parseMergeParams("nuslerp", {"row_wise=true", "flatten=false"});
    QVERIFY(nu.nuslerpRowWise && !nu.nuslerpFlatten && !nu.filterWise);
    const auto nu2 = parseMergeParams("nuslerp", {"nuslerp_row_wise=true", "nuslerp_flatten=false"});
    QVERIFY(nu2.nuslerpRowWise && !nu2.nuslerpFlatten);
    QVERIFY(!parseMergeParams("multislerp", {"normalize_weights=false"}).normalize.value_or(true));
    QVERIFY(!parseMergeParams("multislerp", {"normalize=false"}).normalize.value_or(true));
    QCOMPARE(parseMergeParams("multislerp", {"eps=0.001"}).eps, 0.001);
    QVERIFY(parseMergeParams("karcher", {"weighted=true"}).weighted);
    // rescale: mergekit's true / false; the earlier l1 / none read as them.
    QVERIFY(parseMergeParams("ties", {"rescale=true"}).rescale == Rescale::L1);
    QVERIFY(parseMergeParams("dare_ties", {"rescale=l1"}).rescale == Rescale::L1);
    QVERIFY(parseMergeParams("dare_ties", {"rescale=false"}).rescale == Rescale::None);
    QVERIFY(parseMergeParams("dare_ties", {"rescale=none"}).rescale == Rescale::None);
    QCOMPARE(paramText(parseMergeParams("dare_ties", {"rescale=l1"}), "rescale"), std::string("true"));
    // int8_mask is accepted where mergekit takes it and changes nothing.
    QVERIFY(parseMergeParams("ties", {"int8_mask=true"}).int8Mask);
    QVERIFY(parseMergeParams("sce", {"int8_mask=true"}).int8Mask);
    // Every method's parameters under mergekit's names, with mergekit's defaults.
    const auto defaultOf = [](const char* method, const char* name) {
      const auto* p = mergeMethod(method).param(name);
      return p == nullptr ? std::string("<none>") : p->defaultValue;
    };
    QCOMPARE(defaultOf("nuslerp", "nuslerp_row_wise"), std::string("false"));
    QCOMPARE(defaultOf("nuslerp", "nuslerp_flatten"), std::string("true"));
    QCOMPARE(defaultOf("multislerp", "normalize_weights"), std::string("true"));
    QCOMPARE(defaultOf("multislerp", "eps"), std::string("1e-08"));
    QCOMPARE(defaultOf("karcher", "max_iter"), std::string("10"));
    QCOMPARE(defaultOf("karcher", "tol"), std::string("1e-05"));
    QCOMPARE(defaultOf("karcher", "weighted"), std::string("false"));
    QCOMPARE(defaultOf("model_stock", "filter_wise"), std::string("false"));
    QCOMPARE(defaultOf("sce", "select_topk"), std::string("1"));
    QCOMPARE(defaultOf("linear", "normalize"), std::string("true"));
    for (const auto* family : {"task_arithmetic", "ties", "dare_ties", "dare_linear", "breadcrumbs",
                               "breadcrumbs_ties", "della", "della_linear"}) {
      QCOMPARE(defaultOf(family, "lambda"), std::string("1"));
      QCOMPARE(defaultOf(family, "int8_mask"), std::string("false"));
      QVERIFY2(defaultOf(family, "rescale") != "<none>", family);
    }
    QCOMPARE(defaultOf("breadcrumbs", "gamma"), std::string("0.01"));
    QCOMPARE(defaultOf("della", "epsilon"), std::string("0.15"));
    QCOMPARE(defaultOf("della", "rescale"), std::string("true"));
    QCOMPARE(defaultOf("breadcrumbs_ties", "rescale"), std::string("false"));
    QCOMPARE(defaultOf("ties", "density"), std::string("1"));
  }

  void validatesParamsBuiltInCode() {
    MergeParams p;
    p.density = 0;
    MG_VERIFY_THROWS(merge("ties", {vec({1})}, vec({0}), {1}, p, "w"), std::invalid_argument,
                     "tensor 'w': density must be in (0, 1]");
  }

  void requirementErrors() {
    const auto a = vec({1, 0});
    MG_VERIFY_THROWS(merge("slerp", {a, a, a}, std::nullopt, {}, {}, "w"), std::invalid_argument,
                     "slerp needs exactly 2 inputs (a base counts as one), got 3");
    MG_VERIFY_THROWS(merge("slerp", {a, a}, a, {}, {}, "w"), std::invalid_argument, "got 3");
    MG_VERIFY_THROWS(merge("ties", {a}, std::nullopt, {}, {}, "w"), std::invalid_argument,
                     "ties needs a base model");
    MG_VERIFY_THROWS(merge("linear", {a}, a, {}, {}, "w"), std::invalid_argument,
                     "linear does not use a base model");
    MG_VERIFY_THROWS(merge("model_stock", {a}, a, {}, {}, "w"), std::invalid_argument,
                     "model_stock needs at least 2 inputs, got 1");
    MG_VERIFY_THROWS(merge("passthrough", {a, a}, std::nullopt, {}, {}, "w"), std::invalid_argument,
                     "passthrough needs exactly 1 input, got 2");
    MG_VERIFY_THROWS(merge("linear", {a, a}, std::nullopt, {1, 2, 3}, {}, "w"), std::invalid_argument,
                     "3 weights for 2 inputs");
    MG_VERIFY_THROWS(merge("fisher", {a}, std::nullopt, {}, {}, "w"), std::invalid_argument,
                     "fisher needs each input's statistics from its task data");
  }

  void shapeMismatch() {
    MG_VERIFY_THROWS(merge("linear", {vec({1, 2}), vec({1, 2, 3})}, std::nullopt, {}, {}, "w"),
                     std::invalid_argument, "shape mismatch: input 2 has [3], input 1 has [2]");
  }

  void embeddingsAreCroppedWithAWarning() {
    // Vocabulary 3 and 4: the common 3×2 sub-matrix is averaged.
    const auto small = at::ones({3, 2});
    const auto large = at::full({4, 2}, 3.0);
    std::vector<std::string> warnings;
    const auto out =
        merge("linear", {small, large}, std::nullopt, {}, {}, TensorContext("embed", true, &warnings));
    QVERIFY(close(out, at::full({3, 2}, 2.0)));
    QCOMPARE(warnings.size(), std::size_t(1));
    QVERIFY(warnings.front().find("[3, 2]") != std::string::npos);
  }

  void acceptsOtherFloatDtypes() {
    const auto a = at::tensor(std::vector<double>{1.0, 2.0}, at::kDouble);
    const auto b = at::tensor(std::vector<double>{3.0, 4.0}).to(at::kBFloat16);
    const auto out = merge("linear", {a, b}, std::nullopt, {}, {}, "w");
    QCOMPARE(out.scalar_type(), at::kFloat);
    QVERIFY(close(out, vec({2, 3})));
  }

  // The engine hands its loaded tensors over so that the family methods reuse their memory; a caller that
  // keeps its tensors must never see them change, and both ways give the same bits.
  void handedOverInputsGiveTheSameResultAndSharedOnesStayIntact() {
    at::manual_seed(7);
    const auto base = at::randn({64, 32});
    std::vector<at::Tensor> kept;
    for (int i = 0; i < 3; ++i)
      kept.push_back(base + at::randn({64, 32}) * 0.1);
    std::vector<at::Tensor> snapshot;
    for (const auto& t : kept)
      snapshot.push_back(t.clone());
    for (const char* method : {"ties", "dare_ties", "task_arithmetic", "breadcrumbs_ties", "della"}) {
      const bool sparsifies = mergeMethod(method).param("density") != nullptr;
      auto params = parseMergeParams(method, sparsifies ? std::vector<std::string>{"density=0.4"}
                                                        : std::vector<std::string>{});
      params.seed = 3;
      const auto shared = merge(method, kept, base, {1.0, 0.5, -0.7}, params, "w");
      std::vector<at::Tensor> owned;
      for (const auto& t : snapshot)
        owned.push_back(t.clone());
      const auto handedOver = merge(method, std::move(owned), base, {1.0, 0.5, -0.7}, params, "w");
      QVERIFY2(at::equal(shared, handedOver), method);
      for (std::size_t i = 0; i < kept.size(); ++i)
        QVERIFY2(at::equal(kept[i], snapshot[i]), method);
    }
  }
};

MG_TEST_APPLESS_MAIN(MergeMethodTest)
#include "test_merge_method.moc"
