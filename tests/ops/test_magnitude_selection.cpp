// Magnitude pruning keeps exactly the entries a stable descending sort of |δ| puts first (spec, task
// arithmetic step 2): checked against at::sort on data that takes each path of the selection — one bin
// listed, bins narrowed by finer digits, and whole runs of equal magnitudes (zeros of a sparse task vector).
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include "ops/magnitude_selection.h"

#include <cstring>
#include <limits>

using namespace mg;

namespace {

// What a stable descending sort of |x| keeps: the first k of the order, the rest set to +0.
at::Tensor keptBySort(const at::Tensor& x, std::int64_t k) {
  const auto order = std::get<1>(at::sort(x.abs(), /*stable=*/true, /*dim=*/0, /*descending=*/true));
  auto out = at::zeros_like(x);
  const auto kept = order.slice(0, 0, k);
  out.index_put_({kept}, x.index({kept}));
  return out;
}

at::Tensor keptBySelection(const at::Tensor& x, std::int64_t k) {
  auto out = x.clone();
  ops::keepLargestMagnitudes(out.data_ptr<float>(), out.numel(), k);
  return out;
}

// Bitwise equality, so that a kept -0.0 or NaN counts as kept (torch.equal treats NaN as unequal).
bool sameBits(const at::Tensor& a, const at::Tensor& b) {
  return a.numel() == b.numel() &&
         std::memcmp(a.data_ptr<float>(), b.data_ptr<float>(), sizeof(float) * a.numel()) == 0;
}

void expectSameAsSort(const at::Tensor& x, const std::vector<double>& densities) {
  const auto n = x.numel();
  for (const double d : densities) {
    const auto k = std::max<std::int64_t>(1, static_cast<std::int64_t>(d * n));
    if (k >= n) continue;
    QVERIFY2(sameBits(keptBySelection(x, k), keptBySort(x, k)),
             qPrintable(QString("n %1, k %2 differs from a stable sort").arg(n).arg(k)));
  }
}

const std::vector<double> kDensities = {0.001, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999};

} // namespace

class MagnitudeSelectionTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void normalEntries() { // one bin of the first digit holds the k-th largest: it alone is listed and ordered
    at::manual_seed(3);
    expectSameAsSort(at::randn({1 << 20}), kDensities);
    expectSameAsSort(at::randn({37}), kDensities);
  }
  void aNarrowBandNeedsFinerDigits() { // every |x| in [1, 1.125): one first-digit bin holds all the entries
    at::manual_seed(4);
    expectSameAsSort(1.0 + 0.125 * at::rand({300000}), kDensities);
  }
  void equalMagnitudesKeepTheLowestIndices() {
    at::manual_seed(5);
    // A sparse task vector: three quarters exact zeros (of both signs), so k often falls among the zeros.
    auto sparse = at::randn({400000});
    sparse.masked_fill_(at::rand({400000}) < 0.75, 0.0);
    sparse.index_put_({at::arange(0, 400000, 7)}, -0.0);
    expectSameAsSort(sparse, kDensities);
    // Few distinct magnitudes, both signs: long runs of ties inside every bin.
    expectSameAsSort(at::randint(-3, 4, {200000}).to(at::kFloat) * 0.5, kDensities);
  }
  void nanAndInfinityCountAsLargest() {
    at::manual_seed(6);
    auto x = at::randn({100000});
    x[10] = std::numeric_limits<float>::quiet_NaN();
    x[20] = -std::numeric_limits<float>::infinity();
    x[30] = std::numeric_limits<float>::infinity();
    expectSameAsSort(x, {0.00001, 0.00003, 0.5});
  }
};

MG_TEST_MAIN(MagnitudeSelectionTest)
#include "test_magnitude_selection.moc"
