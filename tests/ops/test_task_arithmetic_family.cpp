// The generalized task arithmetic family and its sparsifiers, against hand-computed values (spec, steps 1–7).
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "ops/merge_method.h"
#include "ops/sparsify.h"
#include "ops/task_arithmetic_family.h"
#include "tensor/intra_op_threads.h"
#include "tensor_compare.h"

using namespace mg;
using namespace mg::ops;
using test::close;
using test::vec;

namespace {

const FamilyMethod& family(const char* name) {
  return *findFamilyMethod(name);
}

MergeParams params(const char* method, std::vector<std::string> assignments) {
  return parseMergeParams(method, assignments);
}

SparsifyOptions options(Sparsifier method, double density, Rescale rescale = Rescale::None,
                        std::uint64_t seed = 0) {
  SparsifyOptions o;
  o.method = method;
  o.density = density;
  o.rescale = rescale;
  o.seed = seed;
  return o;
}

} // namespace

class TaskArithmeticFamilyTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void tableMatchesSpec() {
    // method: sparsifier, consensus, normalize default, rescale default (the spec's table)
    const auto& ties = family("ties");
    QVERIFY(ties.sparsifier == Sparsifier::Magnitude && ties.consensus && ties.normalize);
    const auto& dare = family("dare_ties");
    QVERIFY(dare.sparsifier == Sparsifier::Random && dare.consensus && !dare.normalize);
    QVERIFY(dare.rescale == Rescale::L1);
    QVERIFY(!family("dare_linear").consensus && family("dare_linear").rescale == Rescale::L1);
    QVERIFY(family("breadcrumbs").sparsifier == Sparsifier::MagnitudeOutliers &&
            !family("breadcrumbs").consensus);
    QVERIFY(family("breadcrumbs_ties").consensus && !family("breadcrumbs_ties").normalize);
    QVERIFY(family("della").consensus && family("della").normalize && family("della").rescale == Rescale::L1);
    QVERIFY(!family("della_linear").consensus && !family("della_linear").normalize);
    QVERIFY(family("magnitude_prune").sparsifier == Sparsifier::Magnitude &&
            !family("magnitude_prune").consensus);
    QVERIFY(family("task_arithmetic").sparsifier == Sparsifier::None);
    QCOMPARE(familyMethods().size(), std::size_t(9));
    QCOMPARE(mergeMethod("ties").param("normalize")->defaultValue, std::string("true"));
    QCOMPARE(mergeMethod("dare_ties").param("rescale")->defaultValue, std::string("true"));
    QCOMPARE(mergeMethod("ties").param("rescale")->defaultValue,
             std::string("false")); // mergekit: on ties too
  }

  void taskArithmeticByHand() {
    const auto base = vec({1, 2, 3});
    const std::vector<at::Tensor> inputs = {vec({2, 2, 2}), vec({1, 4, 3})}; // δ1 = [1,0,−1], δ2 = [0,2,0]
    const std::vector<double> w = {0.5, 1.0};
    // 0.5·δ1 + δ2 = [0.5, 2, −0.5]
    QVERIFY(close(merge("task_arithmetic", inputs, base, w, {}, "t"), vec({1.5, 4, 2.5})));
    QVERIFY(close(merge("task_arithmetic", inputs, base, w, params("task_arithmetic", {"lambda=2"}), "t"),
                  vec({2, 6, 2})));
    // normalize: divided by Σw = 1.5
    QVERIFY(
        close(merge("task_arithmetic", inputs, base, w, params("task_arithmetic", {"normalize=true"}), "t"),
              vec({1 + 1 / 3.f, 2 + 4 / 3.f, 3 - 1 / 3.f})));
  }

  void lambdaZeroIsBase() {
    const auto base = at::randn({4, 5});
    for (const char* method : {"task_arithmetic", "ties", "dare_linear", "della"}) {
      auto p = params(method, {"lambda=0"});
      if (std::string(method) != "task_arithmetic") {
        p.density = 0.5;
      }
      const auto out = merge(method, {at::randn({4, 5}), at::randn({4, 5})}, base, {1, 1}, p, "w");
      QVERIFY2(at::equal(out, base), method);
    }
  }

  void tiesByHand() {
    // δ1 = [3, −1, 0.5, −2], δ2 = [−1, −2, 1.5, 0.25]; density 0.75 keeps 3 of 4:
    // trimmed [3, −1, 0, −2] and [−1, −2, 1.5, 0]; weights [1, 2] → d1 = [3, −1, 0, −2], d2 = [−2, −4, 3, 0]
    // Σ d = [1, −5, 3, −2] → elected [+, −, +, −]; agree1 = [1, 1, 0, 1], agree2 = [0, 1, 1, 0]
    // mixed = [3, −5, 3, −2], Σ agreeing weights = [1, 3, 2, 1] → normalized [3, −5/3, 1.5, −2]
    const auto base = vec({1, 1, 1, 1});
    const std::vector<at::Tensor> inputs = {base + vec({3, -1, 0.5, -2}), base + vec({-1, -2, 1.5, 0.25})};
    const auto out = merge("ties", inputs, base, {1, 2}, params("ties", {"density=0.75"}), "t");
    QVERIFY(close(out, vec({4, 1 - 5 / 3.f, 2.5, -1})));
    // count_peft elects on unweighted [2, −3, 1.5, −2] (same signs) and divides by the agreeing count
    // [1, 2, 1, 1]: [3, −2.5, 3, −2]
    const auto peft =
        merge("ties", inputs, base, {1, 2}, params("ties", {"density=0.75", "consensus=count_peft"}), "t");
    QVERIFY(close(peft, vec({4, -1.5, 4, -1})));
    // without normalize: the weighted sum of agreeing entries
    const auto raw =
        merge("ties", inputs, base, {1, 2}, params("ties", {"density=0.75", "normalize=false"}), "t");
    QVERIFY(close(raw, vec({4, -4, 4, -1})));
  }

  void consensusSumZeroCountsAsPlus() {
    // Σ δ = [0, 5]: the zero sum elects +1, so δ2's −1 is dropped: mixed = [1, 5], divisor [1, 2]
    const auto base = vec({0, 0});
    const auto out = merge("ties", {vec({1, 2}), vec({-1, 3})}, base, {1, 1}, {}, "t");
    QVERIFY(close(out, vec({1, 2.5})));
  }

  void tiesWithOneModelIsTrimmedTaskVector() {
    // δ = [4, −3, 2, −1, 0.5], density 0.6 keeps 3: [4, −3, 2, 0, 0]
    const auto base = vec({1, 2, 3, 4, 5});
    const auto input = base + vec({4, -3, 2, -1, 0.5});
    const auto trimmed = vec({4, -3, 2, 0, 0});
    // normalize divides w·δ by w on kept entries: λ·trimmed whatever the weight
    auto p = params("ties", {"density=0.6", "lambda=2"});
    QVERIFY(close(merge("ties", {input}, base, {0.5}, p, "t"), base + 2 * trimmed));
    p.normalize = false; // then the weight stays: λ·w·trimmed
    QVERIFY(close(merge("ties", {input}, base, {0.5}, p, "t"), base + trimmed));
  }

  void magnitudePruningRescalesWhenAsked() {
    // mergekit's rescale applies to magnitude pruning too: δ = [1..5], density 0.4 keeps [4, 5], whose L1
    // norm 9 is brought back to 15.
    const auto base = at::zeros({5});
    const auto delta = vec({1, 2, 3, 4, 5});
    const auto expected = vec({0, 0, 0, 4 * 15.f / 9.f, 5 * 15.f / 9.f});
    QVERIFY(close(merge("ties", {delta}, base, {1}, params("ties", {"density=0.4", "rescale=true"}), "t"),
                  expected));
    QVERIFY(close(merge("magnitude_prune", {delta}, base, {1},
                        params("magnitude_prune", {"density=0.4", "rescale=l1"}), "t"),
                  expected));
    QVERIFY(close(merge("ties", {delta}, base, {1}, params("ties", {"density=0.4"}), "t"),
                  vec({0, 0, 0, 4, 5}))); // ties' default: rescale=false
  }

  void magnitudeKeepingNothingIsAnError() {
    const auto delta = vec({1, 2, 3, 4, 5});
    MG_VERIFY_THROWS(sparsify(delta, options(Sparsifier::Magnitude, 0.1)), std::invalid_argument,
                     "keep no entry");
    MG_VERIFY_THROWS(merge("ties", {delta}, at::zeros({5}), {1}, params("ties", {"density=0.1"}),
                           "model.layers.0.mlp.weight"),
                     std::invalid_argument, "tensor 'model.layers.0.mlp.weight'");
  }

  void magnitudeKeepsLargest() {
    const auto out = sparsify(vec({0.1f, -5, 2, -0.5f, 3}), options(Sparsifier::Magnitude, 0.4));
    QVERIFY(at::equal(out, vec({0, -5, 0, 0, 3})));
  }

  void magnitudeTiesKeepLowestIndicesAndExactlyK() {
    // k = int(0.5 * 6) = 3: 4 is kept, then two of the three entries of magnitude 2, the first two by index
    // (what a stable descending sort keeps).
    const auto out = sparsify(vec({2, -1, -2, 4, 2, 0.5f}), options(Sparsifier::Magnitude, 0.5));
    QVERIFY(at::equal(out, vec({2, 0, -2, 4, 0, 0})));
    // A large tensor with many equal magnitudes and no zeros keeps exactly k entries, none smaller than a
    // dropped one.
    const auto big = at::randint(1, 5, {1000, 37}).to(at::kFloat) * (at::randint(0, 2, {1000, 37}) * 2 - 1);
    const auto kept = sparsify(big, options(Sparsifier::Magnitude, 0.3));
    QCOMPARE((kept != 0).sum().item<std::int64_t>(), std::int64_t(0.3 * 37000));
    const auto droppedMax = (big.abs() * (kept == 0)).max().item<float>();
    const auto keptMin = kept.abs().masked_fill(kept == 0, 1e9).min().item<float>();
    QVERIFY(keptMin >= droppedMax);
  }

  void dareAndDellaMergesAreBitIdenticalAcrossThreadCounts() {
    // The whole merge (per-tensor seeds, masks, consensus) with 1 and 2 intra-op threads: the masks come
    // from Merganser's counter-based generator, never from torch's global one.
    at::manual_seed(5);
    const auto base = at::randn({300, 513}); // several parallel blocks
    const std::vector<at::Tensor> inputs = {base + 0.1 * at::randn({300, 513}),
                                            base + 0.1 * at::randn({300, 513})};
    for (const auto* method : {"dare_ties", "dare_linear", "della", "della_linear"}) {
      const auto p = params(method, {"density=0.4", "seed=11"});
      const auto run = [&](int threadCount) {
        tensor::ScopedIntraOpThreads threads(threadCount);
        return merge(method, inputs, base, {0.7, 0.5}, p, "model.layers.0.mlp.weight");
      };
      const auto one = run(1);
      QVERIFY2(at::equal(one, run(2)), method);
      QVERIFY2(
          !at::equal(one, merge(method, inputs, base, {0.7, 0.5}, params(method, {"density=0.4", "seed=12"}),
                                "model.layers.0.mlp.weight")),
          method); // and the seed matters
    }
  }

  void randomPruningIsBitIdenticalAcrossThreadCounts() {
    at::manual_seed(3);
    const auto delta = at::randn({700, 513}); // several parallel blocks
    for (const auto method : {Sparsifier::Random, Sparsifier::DellaMagprune}) {
      for (const auto rescale : {Rescale::L1, Rescale::InverseDensity, Rescale::None}) {
        auto o = options(method, 0.4, rescale, 77);
        o.epsilon = 0.1;
        const auto one = [&] {
          tensor::ScopedIntraOpThreads threads(1);
          return sparsify(delta, o);
        }();
        const auto two = [&] {
          tensor::ScopedIntraOpThreads threads(2);
          return sparsify(delta, o);
        }();
        QVERIFY(at::equal(one, two));
        const double kept = (one != 0).to(at::kDouble).mean().item<double>();
        QVERIFY2(std::abs(kept - 0.4) < 0.01, std::to_string(kept).c_str()); // keeps about d of the entries
      }
    }
  }

  void magnitudeSelectionMatchesAStableSortOnRandomData() {
    // The radix selection against the definition: the first k of a stable descending sort of |δ|, on data
    // with ties, both signs, zeros, tiny and huge magnitudes, at several densities.
    at::manual_seed(11);
    for (const double density : {0.01, 0.3, 0.5, 0.77, 0.999}) {
      auto delta = (at::randn({257, 61}) * 8).round() / 4; // many exact ties
      delta.view(-1).slice(0, 0, 40).mul_(1e30);
      delta.view(-1).slice(0, 40, 80).mul_(1e-30);
      const auto n = delta.numel();
      const auto k = static_cast<std::int64_t>(density * static_cast<double>(n));
      const auto order =
          std::get<1>(at::sort(delta.abs().reshape(-1), /*stable=*/true, 0, /*descending=*/true));
      auto expected = at::zeros({n});
      expected.index_copy_(0, order.slice(0, 0, k), delta.reshape(-1).index_select(0, order.slice(0, 0, k)));
      QVERIFY(
          at::equal(sparsify(delta, options(Sparsifier::Magnitude, density)), expected.view(delta.sizes())));
    }
  }

  void densityOneLeavesDeltaUnchanged() {
    const auto delta = at::randn({7, 3});
    for (const auto method : {Sparsifier::Magnitude, Sparsifier::Random, Sparsifier::MagnitudeOutliers,
                              Sparsifier::DellaMagprune}) {
      QVERIFY(at::equal(sparsify(delta, options(method, 1.0, Rescale::L1, 3)), delta));
    }
  }

  void dareIsReproducibleBySeed() {
    const auto delta = at::randn({1000});
    const auto a = sparsify(delta, options(Sparsifier::Random, 0.3, Rescale::L1, 42));
    const auto b = sparsify(delta, options(Sparsifier::Random, 0.3, Rescale::L1, 42));
    const auto c = sparsify(delta, options(Sparsifier::Random, 0.3, Rescale::L1, 43));
    QVERIFY(at::equal(a, b));
    QVERIFY(!at::equal(a, c));
    // Through merge(): the seed is salted by tensor name and input, deterministically.
    const auto base = at::zeros({1000});
    const auto p = params("dare_linear", {"density=0.3", "seed=42"});
    const auto m1 = merge("dare_linear", {delta, delta}, base, {1, 1}, p, "a");
    QVERIFY(at::equal(m1, merge("dare_linear", {delta, delta}, base, {1, 1}, p, "a")));
    QVERIFY(!at::equal(m1, merge("dare_linear", {delta, delta}, base, {1, 1}, p, "b")));
    QVERIFY(deriveSeed(42, "a", 0) != deriveSeed(42, "a", 1));
  }

  void dareKeepsAboutDensity() {
    const auto delta = at::ones({10000});
    const auto kept = sparsify(delta, options(Sparsifier::Random, 0.3, Rescale::None, 5))
                          .count_nonzero()
                          .item<std::int64_t>();
    // binomial(10000, 0.3): σ ≈ 46, allow 5σ
    QVERIFY2(std::abs(kept - 3000) < 230, std::to_string(kept).c_str());
  }

  void dareRescaleModes() {
    const auto delta = at::arange(1, 201, at::kFloat) * at::tensor(std::vector<float>{1.f, -1.f}).repeat(100);
    const auto plain = sparsify(delta, options(Sparsifier::Random, 0.4, Rescale::None, 9));
    const auto mask = (plain != 0).to(at::kFloat); // delta has no zeros
    QVERIFY(at::equal(plain, delta * mask));
    // inverse_density: kept entries divided by d (the same draws: same seed, same mask)
    const auto inverse = sparsify(delta, options(Sparsifier::Random, 0.4, Rescale::InverseDensity, 9));
    QVERIFY(close(inverse, delta * mask / 0.4));
    // l1: kept entries scaled so that Σ|out| = Σ|δ| = 1 + … + 200 = 20100
    const auto l1 = sparsify(delta, options(Sparsifier::Random, 0.4, Rescale::L1, 9));
    QVERIFY(close(l1, delta * mask * (20100.0 / (delta * mask).abs().sum().item<double>())));
    QCOMPARE(qRound(l1.abs().sum().item<double>()), 20100);
  }

  void breadcrumbsDropsBothEnds() {
    const auto delta = vec({1, -2, 3, -4, 5, -6, 7, -8, 9, -10});
    auto o = options(Sparsifier::MagnitudeOutliers, 0.5);
    // n = 10: target 5, n_top = int(0.1·10) = 1, n_bot = 10 − 5 − 1 = 4 → keep |δ| ranks 5..9
    o.gamma = 0.1;
    QVERIFY(at::equal(sparsify(delta, o), vec({0, 0, 0, 0, 5, -6, 7, -8, 9, 0})));
    // n_bot < 0 rule: density 0.9, gamma 0.2: target 9, n_top 2, n_bot −1 → n_top 1, n_bot 0
    o.density = 0.9;
    o.gamma = 0.2;
    QVERIFY(at::equal(sparsify(delta, o), vec({1, -2, 3, -4, 5, -6, 7, -8, 9, 0})));
    // n_top = int(0.01·10) = 0: mergekit's slice [n_bot:-0] is empty, so nothing is kept (as mergekit)
    o.density = 0.5;
    o.gamma = 0.01;
    QVERIFY(at::equal(sparsify(delta, o), at::zeros({10})));
    o.rescale = Rescale::L1; // nothing to rescale: still zeros
    QVERIFY(at::equal(sparsify(delta, o), at::zeros({10})));
    // int(density·n) = 0 keeps nothing either (mergekit: an empty slice, not an error)
    o.density = 0.05;
    o.gamma = 0.1;
    QVERIFY(at::equal(sparsify(delta, o), at::zeros({10})));
  }

  void breadcrumbsThroughMerge() {
    // breadcrumbs: no consensus, no normalize: base + Σ w·pruned δ
    const auto base = at::zeros({10});
    const auto delta = vec({1, -2, 3, -4, 5, -6, 7, -8, 9, -10});
    const auto out =
        merge("breadcrumbs", {delta}, base, {2}, params("breadcrumbs", {"density=0.5", "gamma=0.1"}), "t");
    QVERIFY(close(out, vec({0, 0, 0, 0, 10, -12, 14, -16, 18, 0})));
  }

  void dellaProbabilityBounds() {
    const auto delta = at::randn({4, 8});
    auto o = options(Sparsifier::DellaMagprune, 0.1);
    o.epsilon = 0.15; // d − ε < 0
    MG_VERIFY_THROWS(sparsify(delta, o), std::invalid_argument, "0 < density - epsilon");
    o.density = 0.9; // d + ε >= 1
    MG_VERIFY_THROWS(sparsify(delta, o), std::invalid_argument, "density + epsilon < 1");
    o.density = 0.5;
    QCOMPARE(sparsify(delta, o).sizes(), delta.sizes());
  }

  void dellaInverseDensityDividesByRankProbability() {
    // One row [1, 2, 3, 4, 5] (ranks 1..5), d = 0.5, ε = 0.2: p = 0.3, 0.4, 0.5, 0.6, 0.7
    const auto delta = vec({1, 2, 3, 4, 5});
    const auto p = vec({0.3f, 0.4f, 0.5f, 0.6f, 0.7f});
    bool sawKept = false;
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
      auto o = options(Sparsifier::DellaMagprune, 0.5, Rescale::InverseDensity, seed);
      o.epsilon = 0.2;
      const auto out = sparsify(delta, o);
      const auto kept = out != 0;
      sawKept = sawKept || kept.any().item<bool>();
      QVERIFY(close(out, at::where(kept, delta / p, at::zeros_like(delta))));
    }
    QVERIFY(sawKept);
  }

  void dellaKeepsLargeEntriesMoreOften() {
    // ranks 1..2000 in one row, d = 0.5, ε = 0.4: p from 0.1 (smallest) to 0.9 (largest)
    const auto delta = at::arange(1, 2001, at::kFloat).reshape({1, 2000});
    auto o = options(Sparsifier::DellaMagprune, 0.5, Rescale::None, 11);
    o.epsilon = 0.4;
    const auto kept = (sparsify(delta, o) != 0).to(at::kFloat);
    const double low = kept.slice(1, 0, 400).mean().item<double>(); // expected ≈ 0.18
    const double high = kept.slice(1, 1600).mean().item<double>();  // expected ≈ 0.82
    QVERIFY2(low < 0.3 && high > 0.7, (std::to_string(low) + " " + std::to_string(high)).c_str());
  }

  void perInputDensity() {
    // density=1,0.4: input 1 kept whole, input 2 keeps int(0.4·5) = 2 entries
    const auto base = at::zeros({5});
    const auto out = merge("magnitude_prune", {vec({1, 1, 1, 1, 1}), vec({5, -1, 0.5, 4, 2})}, base, {1, 1},
                           params("magnitude_prune", {"density=1,0.4"}), "t");
    QVERIFY(close(out, vec({6, 1, 1, 5, 1})));
    MG_VERIFY_THROWS(merge("magnitude_prune", {vec({1}), vec({1}), vec({1})}, at::zeros({1}), {},
                           params("magnitude_prune", {"density=1,0.4"}), "t"),
                     std::invalid_argument, "density has 2 values for 3 inputs");
  }

  void mixTaskVectorsAcceptsDeltas() {
    // An engine can pass δ_i directly (e.g. s·B·A of a LoRA) and add the base itself.
    const auto mixed =
        mixTaskVectors(family("task_arithmetic"), {vec({1, 0}), vec({0, 2})}, {1, 0.5}, {}, "t");
    QVERIFY(close(mixed, vec({1, 1})));
  }
};

MG_TEST_APPLESS_MAIN(TaskArithmeticFamilyTest)
#include "test_task_arithmetic_family.moc"
