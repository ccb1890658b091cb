#pragma once
// The rows of the generalized task arithmetic family (spec, "Generalized task arithmetic family"): which
// sparsifier, sign consensus and defaults each of task_arithmetic, ties, dare_*, breadcrumbs*, della* and
// magnitude_prune uses. Plain data, no LibTorch: the method schemas (ops/method_schemas.h) are built from it
// and the kernels (ops/task_arithmetic_family.h) run it.
#include <string>
#include <vector>

#include "ops/merge_params.h"

namespace mg::ops {

enum class Sparsifier {
  None,
  Magnitude,         // keep the k = int(d·numel) largest |δ|
  Random,            // DARE: keep each entry with probability d
  MagnitudeOutliers, // breadcrumbs: drop the smallest and the gamma·n largest |δ|
  DellaMagprune      // DELLA: per row, keep probability grows linearly with the |δ| rank
};

std::string toString(Sparsifier sparsifier);

// One row of the spec's table.
struct FamilyMethod {
  std::string name;
  Sparsifier sparsifier = Sparsifier::None;
  bool consensus = false;          // TIES-style sign election (step 5)
  bool normalize = false;          // step 6 default
  Rescale rescale = Rescale::None; // step 3 default
};

const std::vector<FamilyMethod>& familyMethods();
// nullptr when `name` is not in the family.
const FamilyMethod* findFamilyMethod(const std::string& name);

} // namespace mg::ops
