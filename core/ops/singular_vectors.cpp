#include "ops/singular_vectors.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

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

ThinSvd randomizedLeading(const at::Tensor& matrix, std::int64_t k, std::uint64_t seed) {
  constexpr int kPowerIterations = 4;
  const auto rank = std::min(matrix.size(0), matrix.size(1));
  const auto columns = k + std::max<std::int64_t>(10, k / 10);
  if (2 * columns > rank) return leading(thinSvd(matrix), k);
  const auto a = matrix.to(at::kFloat);
  const auto orthonormal = [](const at::Tensor& x) { return std::get<0>(at::linalg_qr(x)); };
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  auto basis = orthonormal(at::matmul(a, at::randn({a.size(1), columns}, generator, at::kFloat)));
  for (int i = 0; i < kPowerIterations; ++i)
    basis = orthonormal(at::matmul(a, orthonormal(at::matmul(a.t(), basis))));
  const auto small = thinSvd(at::matmul(basis.t(), a));
  return {at::matmul(basis, small.u.narrow(1, 0, k)), small.s.narrow(0, 0, k), small.vh.narrow(0, 0, k)};
}

at::Tensor polarFactor(const at::Tensor& matrix) {
  const auto svd = thinSvd(matrix);
  return at::matmul(svd.u, svd.vh);
}

at::Tensor baseplusScaled(const at::Tensor& base, const at::Tensor& deltaMatrix, double lambda) {
  return base.to(at::kFloat) + deltaMatrix.reshape(base.sizes()) * lambda;
}

} // namespace mg::ops::svd
