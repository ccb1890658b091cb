// DARE and DELLA against the reference of mergekit's methods (tests/reference/) by the statistics of their
// random masks: Merganser draws them from its own seeded generator, mergekit from torch's global one, so
// the masks differ entry by entry but must keep the same fraction of entries, with the same keep
// probability per magnitude rank (DELLA, ranked along dim 1 as mergekit), and the same L1 rescaling.
// A zero base makes the output the pruned task vector itself.
#include "support/test_registry.h"
#include <QtTest>
#include <ATen/ATen.h>

#include <cmath>
#include <sstream>

#include "reference_harness.h"

using namespace mg;
using test::ReferenceCase;

namespace {

// Fraction of entries kept (nonzero) per tenth of the |δ| rank within each row along dim 1 (a vector is
// one row), the rows as mergekit's della_magprune forms them.
std::vector<double> keptByRankDecile(const at::Tensor& kept, const at::Tensor& delta) {
  const auto rows = delta.dim() < 2 ? delta.reshape({1, -1}) : delta;
  const auto keptRows = kept.reshape(rows.sizes());
  const auto n = rows.size(1);
  const auto ranks = at::argsort(at::argsort(rows.abs(), 1, false), 1, false);
  const auto decile = (ranks * 10).div(n, "floor");
  std::vector<double> out;
  for (int d = 0; d < 10; ++d) {
    const auto in = decile == d;
    out.push_back((keptRows.to(at::kDouble) * in).sum().item<double>() / in.sum().item<double>());
  }
  return out;
}

std::string differsBy(const char* what, double ours, double reference, double tolerance) {
  if (std::abs(ours - reference) <= tolerance) return {};
  std::ostringstream text;
  text << what << ": " << ours << ", reference " << reference << " (tolerance " << tolerance << ")";
  return text.str();
}

ReferenceCase pruningCase(const std::string& method, std::vector<std::int64_t> shape,
                          std::vector<std::string> params) {
  ReferenceCase c;
  c.method = method;
  c.shape = shape;
  c.inputs = 1;
  c.params = params;
  c.id = method + "/" + std::to_string(shape.size()) + "d";
  for (const auto& p : params)
    c.id += "/" + p;
  auto generator = at::make_generator<at::CPUGeneratorImpl>(std::hash<std::string>{}(c.id));
  // Magnitudes that grow along the last dimension: ranking along dim 1 (mergekit) and along another
  // dimension then give different keep probabilities, which i.i.d. entries would not tell apart.
  const auto scale = at::linspace(0.2, 5.0, shape.back());
  c.tensors = {at::zeros(shape), at::randn(shape, generator, at::kFloat) * scale};
  return c;
}

// The kept fraction (overall and, for DELLA, per rank decile) and the L1 norm of the output.
void compareMasks(ReferenceCase& c, bool perDecile) {
  c.compare = [perDecile](const at::Tensor& ours, const at::Tensor& reference,
                          const std::vector<at::Tensor>& tensors) -> std::string {
    const auto& delta = tensors[1];
    const auto oursKept = ours != 0;
    const auto referenceKept = reference != 0;
    // ~10^5 entries: the kept fraction's standard deviation is below 0.002.
    auto problem = differsBy("kept fraction", oursKept.to(at::kDouble).mean().item<double>(),
                             referenceKept.to(at::kDouble).mean().item<double>(), 0.01);
    if (!problem.empty()) return problem;
    if (perDecile) {
      const auto a = keptByRankDecile(oursKept, delta);
      const auto b = keptByRankDecile(referenceKept, delta);
      for (std::size_t d = 0; d < a.size(); ++d) { // ~10^4 entries per decile: sd below 0.005 each
        problem = differsBy(("kept fraction of rank decile " + std::to_string(d)).c_str(), a[d], b[d], 0.03);
        if (!problem.empty()) return problem;
      }
    }
    const double referenceL1 = reference.abs().mean().item<double>(); // the rescaling (or its absence)
    return differsBy("mean |output|", ours.abs().mean().item<double>(), referenceL1, 0.02 * referenceL1);
  };
}

} // namespace

class RandomMasksReferenceTest : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void dareAndDellaMasksMatchTheReferenceInDistribution() {
    std::vector<ReferenceCase> cases;
    for (const auto& params : std::vector<std::vector<std::string>>{
             {"density=0.3"}, {"density=0.3", "rescale=false"}, {"density=0.7", "rescale=true"}}) {
      cases.push_back(pruningCase("dare_linear", {64, 2048}, params));
      compareMasks(cases.back(), false);
    }
    for (const auto& shape : std::vector<std::vector<std::int64_t>>{{100000}, {64, 2048}, {8, 64, 256}}) {
      for (const auto& params : std::vector<std::vector<std::string>>{
               {"density=0.5", "epsilon=0.2", "rescale=false"}, {"density=0.4", "epsilon=0.1"}}) {
        cases.push_back(pruningCase("della_linear", shape, params));
        compareMasks(cases.back(), true);
      }
    }
    test::checkReferenceCases(cases, "differ from the reference in distribution");
  }
};

MG_TEST_GUILESS_MAIN(RandomMasksReferenceTest)
#include "test_random_masks_reference.moc"
