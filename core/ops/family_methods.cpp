#include "ops/family_methods.h"

namespace mg::ops {

std::string toString(Sparsifier sparsifier) {
  switch (sparsifier) {
  case Sparsifier::None: return "none";
  case Sparsifier::Magnitude: return "magnitude";
  case Sparsifier::Random: return "random";
  case Sparsifier::MagnitudeOutliers: return "magnitude_outliers";
  case Sparsifier::DellaMagprune: return "della_magprune";
  }
  return "unknown";
}

const std::vector<FamilyMethod>& familyMethods() {
  // The spec's table: sparsifier, consensus, normalize default, rescale default.
  static const std::vector<FamilyMethod> table = {
      {"task_arithmetic", Sparsifier::None, false, false, Rescale::None},
      {"ties", Sparsifier::Magnitude, true, true, Rescale::None},
      {"dare_ties", Sparsifier::Random, true, false, Rescale::L1},
      {"dare_linear", Sparsifier::Random, false, false, Rescale::L1},
      {"breadcrumbs", Sparsifier::MagnitudeOutliers, false, false, Rescale::None},
      {"breadcrumbs_ties", Sparsifier::MagnitudeOutliers, true, false, Rescale::None},
      {"della", Sparsifier::DellaMagprune, true, true, Rescale::L1},
      {"della_linear", Sparsifier::DellaMagprune, false, false, Rescale::L1},
      {"magnitude_prune", Sparsifier::Magnitude, false, false, Rescale::None},
  };
  return table;
}

const FamilyMethod* findFamilyMethod(const std::string& name) {
  for (const auto& method : familyMethods()) {
    if (method.name == name) {
      return &method;
    }
  }
  return nullptr;
}

} // namespace mg::ops
