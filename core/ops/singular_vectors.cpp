#include "ops/singular_vectors.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace mg::ops::svd {

std::vector<at::Tensor> weightedTaskVectors(const std::vector<at::Tensor>& inputs, const at::Tensor& base,
                                            const std::vector<double>& weights) {
  std::vector<at::Tensor> taskVectors;
  taskVectors.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto tau = inputs[i].to(at::kFloat) - base.to(at::kFloat);
    if (weights[i] != 1.0) tau.mul_(weights[i]);
    taskVectors.push_back(std::move(tau));
  }
  return taskVectors;
}

at::Tensor sumOf(const std::vector<at::Tensor>& taskVectors) {
  auto sum = taskVectors.front().clone();
  for (std::size_t i = 1; i < taskVectors.size(); ++i)
    sum.add_(taskVectors[i]);
  return sum;
}

bool mergedAsMatrix(const at::Tensor& tensor) {
  return tensor.dim() >= 2 && tensor.numel() > 0;
}

at::Tensor asMatrix(const at::Tensor& tensor) {
  return tensor.reshape({tensor.size(0), -1});
}

std::int64_t rankBudget(const at::Tensor& tensor) {
  return std::min(tensor.size(0), tensor.numel() / tensor.size(0));
}

ThinSvd thinSvd(const at::Tensor& matrix) {
  auto [u, s, vh] = at::linalg_svd(matrix.to(at::kFloat), /*full_matrices=*/false);
  return {u, s, vh};
}

ThinSvd leading(const ThinSvd& svd, std::int64_t k) {
  return {svd.u.narrow(1, 0, k), svd.s.narrow(0, 0, k), svd.vh.narrow(0, 0, k)};
}

at::Tensor polarFactor(const at::Tensor& matrix) {
  const auto svd = thinSvd(matrix);
  return at::matmul(svd.u, svd.vh);
}

at::Tensor baseplusScaled(const at::Tensor& base, const at::Tensor& deltaMatrix, double lambda) {
  return base.to(at::kFloat) + deltaMatrix.reshape(base.sizes()) * lambda;
}

} // namespace mg::ops::svd
