// DELLA's keep probabilities (ops/della_probabilities) bit for bit against the straightforward tensor
// computation mergekit's della_magprune does — a stable sort per row along dim 1, an argsort of that order
// for the ranks, and (d − ε) + rank / (n − 1) · 2ε in float32 tensor ops — on random, tie-heavy and
// extreme tensors of many shapes, at one and two threads. Merge outputs (and their hashes) depend on every
// bit of these probabilities, through the random keep decisions.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <limits>
#include <sstream>

#include "ops/della_probabilities.h"
#include "ops/sparsify.h"
#include "tensor/intra_op_threads.h"
#include "tensor_compare.h"

using namespace mg;

namespace {

// The reference: mergekit's expression with torch's stable sort (what Merganser computed before its
// per-row radix kernel).
at::Tensor referenceProbabilities(const at::Tensor& delta, double density, double epsilon) {
  const auto rows = delta.dim() < 2 ? delta.reshape({1, -1}) : delta;
  const auto n = rows.size(1);
  const auto order = std::get<1>(at::sort(rows.abs(), /*stable=*/true, /*dim=*/1, /*descending=*/false));
  const auto ranks = at::argsort(order, /*dim=*/1, /*descending=*/false).to(at::kFloat);
  const auto rankNorm = n > 1 ? ranks / static_cast<double>(n - 1) : at::full_like(ranks, 0.5);
  return ((density - epsilon) + rankNorm * (2.0 * epsilon)).reshape(delta.sizes());
}

// Same shape and the same bits in every entry; on failure, says where the first difference is.
std::string bitDifference(const at::Tensor& actual, const at::Tensor& expected) {
  if (actual.scalar_type() != at::kFloat || actual.sizes() != expected.sizes()) {
    std::ostringstream text;
    text << "got " << actual.scalar_type() << " " << actual.sizes() << ", expected " << expected.scalar_type()
         << " " << expected.sizes();
    return text.str();
  }
  const auto a = actual.contiguous().view(at::kInt).reshape(-1);
  const auto e = expected.contiguous().view(at::kInt).reshape(-1);
  const auto differs = at::nonzero(a != e);
  if (differs.numel() == 0) return {};
  const auto i = differs[0].item<std::int64_t>();
  std::ostringstream text;
  text << differs.size(0) << " of " << a.numel() << " entries differ, first at flat index " << i << ": got "
       << actual.reshape(-1)[i].item<float>() << ", expected " << expected.reshape(-1)[i].item<float>();
  return text.str();
}

// Task-vector-like values, tie-heavy small integers (with -0 beside +0), all zeros, one exponent only,
// a range of magnitudes from subnormals to infinities, and NaNs.
std::vector<std::pair<std::string, at::Tensor>> valueKinds(at::IntArrayRef shape, std::uint64_t seed) {
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  const auto normal = at::randn(shape, generator, at::kFloat) * 0.002;
  const auto integers = at::randint(-3, 4, shape, generator, at::kFloat);
  const auto signs = 1.0 - 2.0 * (at::rand(shape, generator, at::kFloat) < 0.5).to(at::kFloat);
  const auto oneExponent = (1.0 + at::rand(shape, generator, at::kFloat)) * signs;
  auto wide =
      at::randn(shape, generator, at::kFloat) * at::exp(at::randn(shape, generator, at::kFloat) * 30.0);
  if (wide.numel() > 2) {
    wide.view(-1)[0] = std::numeric_limits<float>::infinity();
    wide.view(-1)[wide.numel() - 1] = -std::numeric_limits<float>::denorm_min();
  }
  // NaNs of different signs and payloads (bits 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fffffff): all
  // rank above +inf, among themselves in index order.
  auto withNan = normal.clone();
  const auto nanKind = at::randint(0, 8, shape, generator, at::kInt);
  const auto nanBits = at::tensor({0x7fc00000, int(0xffc00000u), 0x7f800001, 0x7fffffff}, at::kInt);
  const auto nans = nanBits.index({nanKind.remainder(4).to(at::kLong)}).view(at::kFloat);
  withNan = at::where(nanKind < 4, nans, withNan);
  return {{"normal", normal},
          {"small integers", integers * signs}, // -0 and +0 among many ties
          {"zeros", at::zeros(shape) * signs},
          {"one exponent", oneExponent},
          {"wide range", wide},
          {"with NaN", withNan}};
}

const std::vector<std::vector<std::int64_t>> kShapes = {
    {},        {0},         {1},       {2},         {7},       {129},        {5000},        {1, 1}, {6, 1},
    {1, 9},    {4, 5},      {3, 128},  {3, 129},    {17, 300}, {9, 4096},    {2, 20000},    {0, 5}, {5, 0},
    {2, 3, 4}, {3, 200, 5}, {2, 1, 7}, {4, 150, 1}, {2, 0, 3}, {2, 3, 4, 5}, {1, 300, 2, 3}};

} // namespace

class DellaProbabilitiesTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void matchesTheStableSortComputationBitForBit() {
    const std::vector<std::pair<double, double>> densityEpsilon = {
        {0.5, 0.15}, {0.3, 0.29}, {0.01, 0.005}, {0.7, 0.2}};
    std::uint64_t seed = 1;
    for (const auto& shape : kShapes) {
      for (const auto& [kind, delta] : valueKinds(shape, seed++)) {
        for (const auto& [density, epsilon] : densityEpsilon) {
          const auto expected = referenceProbabilities(delta, density, epsilon);
          for (const int threads : {1, 2}) {
            tensor::ScopedIntraOpThreads scoped(threads);
            const auto difference =
                bitDifference(ops::dellaKeepProbabilities(delta, density, epsilon), expected);
            std::ostringstream where;
            where << kind << " " << delta.sizes() << " d " << density << " eps " << epsilon << ", " << threads
                  << " threads: " << difference;
            QVERIFY2(difference.empty(), where.str().c_str());
          }
        }
      }
    }
  }

  void ranksHalfAndBFloat16AsTheirValues() {
    for (const auto type : {at::kHalf, at::kBFloat16}) {
      for (const auto& [kind, delta] : valueKinds({5, 700}, 99)) {
        const auto narrow = delta.to(type);
        const auto difference = bitDifference(ops::dellaKeepProbabilities(narrow, 0.4, 0.1),
                                              referenceProbabilities(narrow, 0.4, 0.1));
        QVERIFY2(difference.empty(), (kind + " " + c10::toString(type) + ": " + difference).c_str());
      }
    }
  }

  void rowsRunAlongDimOne() {
    // Magnitudes grow along dim 1 and shrink along dim 2: ranks along dim 1 are the dim-1 index.
    const auto grid =
        at::arange(1, 4, at::kFloat).reshape({1, 3, 1}) * at::arange(4, 0, -1, at::kFloat).reshape({1, 1, 4});
    const auto p = ops::dellaKeepProbabilities(grid, 0.5, 0.1);
    QVERIFY(test::close(p[0].select(1, 0), test::vec({0.4f, 0.5f, 0.6f}), 0, 1e-6));
    QVERIFY(test::close(p[0].select(1, 3), test::vec({0.4f, 0.5f, 0.6f}), 0, 1e-6));
    // Equal magnitudes rank in index order; a row of one entry gets the density itself.
    QVERIFY(test::close(ops::dellaKeepProbabilities(test::vec({-2, 2, 0, -0.0f, 2}), 0.5, 0.2),
                        test::vec({0.5f, 0.6f, 0.3f, 0.4f, 0.7f}), 0, 1e-6));
    QVERIFY(test::close(ops::dellaKeepProbabilities(at::full({3, 1}, 7.0f), 0.25, 0.1),
                        at::full({3, 1}, 0.25f), 0, 1e-7));
  }

  // DELLA pruning makes the probabilities of 1-D and 2-D task vectors a few rows at a time
  // (ops/sparsify.cpp); a [rows, n, 1] tensor has the same rows but takes the path through a whole tensor of
  // probabilities. Both must give the same bits, for every rescale (L1's norms are summed in fixed runs and
  // blocks) and for row lengths that do and do not divide the runs.
  void pruningRowByRowMatchesTheWholeTensorPath() {
    at::manual_seed(21);
    const std::vector<std::pair<std::int64_t, std::int64_t>> shapes = {
        {1, 5000}, {3000, 1}, {7, 300}, {40, 4096}, {33, 4097}, {5, 70000}, {1200, 96}};
    for (const auto& [rows, length] : shapes) {
      for (const auto rescale : {ops::Rescale::L1, ops::Rescale::InverseDensity, ops::Rescale::None}) {
        ops::SparsifyOptions options;
        options.method = ops::Sparsifier::DellaMagprune;
        options.density = 0.5;
        options.epsilon = 0.2;
        options.rescale = rescale;
        options.seed = 99;
        const auto delta = at::randn({rows, length});
        const auto byRows = ops::sparsify(delta, options);
        const auto whole = ops::sparsify(delta.reshape({rows, length, 1}), options).reshape({rows, length});
        const auto difference = bitDifference(byRows, whole);
        QVERIFY2(difference.empty(),
                 qPrintable(
                     QString("[%1, %2]: %3").arg(rows).arg(length).arg(QString::fromStdString(difference))));
        if (rows == 1) {
          const auto vector = ops::sparsify(delta.reshape({-1}), options);
          QVERIFY(bitDifference(vector, byRows.reshape({-1})).empty());
        }
      }
    }
  }

  void refusesBadParametersAndTypes() {
    const auto delta = at::ones({2, 3});
    MG_VERIFY_THROWS(ops::dellaKeepProbabilities(delta, 0.1, 0.2), std::invalid_argument,
                     "della_magprune needs 0 < density - epsilon and density + epsilon < 1, got density 0.1, "
                     "epsilon 0.2");
    MG_VERIFY_THROWS(ops::dellaKeepProbabilities(delta, 0.9, 0.1), std::invalid_argument,
                     "density + epsilon < 1");
    MG_VERIFY_THROWS(ops::dellaKeepProbabilities(delta.to(at::kDouble), 0.5, 0.1), std::invalid_argument,
                     "della_magprune ranks float32, float16 or bfloat16 task vectors, got Double");
  }
};

MG_TEST_APPLESS_MAIN(DellaProbabilitiesTest)
#include "test_della_probabilities.moc"
