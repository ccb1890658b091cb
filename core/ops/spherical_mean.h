#pragma once
// Spherical weighted means of N tensors (spec, "multislerp / karcher"). Each input is one flattened
// vector; the result is rescaled by Σ w_i·‖x_i‖. With a base, the caller passes task vectors and adds the
// base back.
#include <vector>

#include "ops/merge_params.h"

namespace at {
class Tensor;
}

namespace mg::ops {

// mergekit's multislerp: project the unit vectors onto the tangent space at their normalized weighted mean,
// average there, map back with the exponential map. normalizeWeights divides the weights by their sum.
// Throws std::invalid_argument when the weighted mean of the unit vectors vanishes (antipodal inputs) and
// there are more than two inputs (two are then lerped, as in mergekit). eps (mergekit's, default 1e-8) is
// added to the norms the inputs are divided by and to the tangent step's norm. precision: the compute
// dtype, every operation rounded to it (ops/precision.h), as for karcherMean.
at::Tensor multislerp(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                      bool normalizeWeights, double eps = 1e-8, Precision precision = Precision::F32);

// mergekit's karcher: the weighted Karcher (Fréchet) mean on the unit sphere by fixed-point iteration
// (at most maxIter steps, stop when the tangent step is below tol). Inputs with norm <= tol are left out of
// the mean; zeros when all are.
at::Tensor karcherMean(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       bool normalizeWeights, int maxIter, double tol, Precision precision = Precision::F32);

} // namespace mg::ops
