// Spec, "LoRA-space operations"; orientation and DoRA norms follow PEFT (tuners/lora/layer.py, dora.py).
#include "ops/lora_ops.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mg::ops {

namespace {

// The [out, in] view of a tensor in the weight's layout, in which Δ = B·A: transposed for FanInFanOut and
// Embedding, flattened past dim 0 for conv kernels.
at::Tensor toMatrix(const at::Tensor& x, LoraLayout layout) {
  if (x.dim() < 2) {
    throw std::invalid_argument("LoRA operations need a matrix, got shape " + c10::str(x.sizes()));
  }
  if (layout == LoraLayout::Linear) {
    return x.dim() > 2 ? x.reshape({x.size(0), -1}) : x;
  }
  if (x.dim() != 2) {
    throw std::invalid_argument("a transposed LoRA layout needs a matrix, got shape " + c10::str(x.sizes()));
  }
  return x.t();
}

// Inverse of toMatrix for a tensor of `shape` in the weight's layout.
at::Tensor fromMatrix(const at::Tensor& m, LoraLayout layout, c10::IntArrayRef shape) {
  return layout == LoraLayout::Linear ? m.reshape(shape) : m.t().contiguous();
}

// Factors of the [out, in] view reshaped to PEFT's conv shapes when the weight is a conv kernel:
// A [r, in, k...], B [out, r, 1...].
LowRank shapedFactors(const at::Tensor& a, const at::Tensor& b, double relativeError, LoraLayout layout,
                      c10::IntArrayRef weightShape) {
  LowRank out{a.contiguous(), b.contiguous(), relativeError};
  if (layout == LoraLayout::Linear && weightShape.size() > 2) {
    std::vector<std::int64_t> aShape{a.size(0)};
    std::vector<std::int64_t> bShape{b.size(0), b.size(1)};
    for (std::size_t d = 1; d < weightShape.size(); ++d) {
      aShape.push_back(weightShape[d]);
    }
    bShape.resize(weightShape.size(), 1);
    out.A = out.A.reshape(aShape);
    out.B = out.B.reshape(bShape);
  }
  return out;
}

struct Svd {
  at::Tensor U, S, Vh;
};

Svd svdOf(const at::Tensor& matrix) {
  auto [u, s, vh] = at::linalg_svd(matrix.to(at::kFloat), /*full_matrices=*/false);
  return {u, s, vh};
}

// sqrt(Σ_{i>=rank} σ_i²) / sqrt(Σ σ_i²): the relative Frobenius error of keeping the first `rank` values.
double truncationError(const at::Tensor& singularValues, std::int64_t rank) {
  const auto squares = singularValues.to(at::kDouble).pow(2);
  const double total = squares.sum().item<double>();
  if (total <= 0.0) {
    return 0.0;
  }
  const double dropped = squares.slice(0, rank).sum().item<double>();
  return std::sqrt(dropped / total);
}

} // namespace

double loraScale(double alpha, std::int64_t rank, bool rsLora) {
  if (rank <= 0) {
    throw std::invalid_argument("LoRA rank must be positive, got " + std::to_string(rank));
  }
  return alpha / (rsLora ? std::sqrt(static_cast<double>(rank)) : static_cast<double>(rank));
}

at::Tensor loraDelta(const at::Tensor& A, const at::Tensor& B, double scale, LoraLayout layout) {
  if (A.dim() < 2 || B.dim() < 2 || B.size(1) != A.size(0)) {
    throw std::invalid_argument("LoRA factors do not chain: lora_A " + c10::str(A.sizes()) + ", lora_B " +
                                c10::str(B.sizes()));
  }
  const auto a = A.to(at::kFloat);
  const auto b = B.to(at::kFloat);
  if (A.dim() > 2) { // conv: B [out, r, 1...] · A [r, in, k...] → [out, in, k...]
    std::vector<std::int64_t> shape{B.size(0)};
    for (std::int64_t d = 1; d < A.dim(); ++d) {
      shape.push_back(A.size(d));
    }
    return (b.flatten(1).mm(a.flatten(1)) * scale).reshape(shape);
  }
  const auto product = b.mm(a) * scale;
  return layout == LoraLayout::Linear ? product : product.t().contiguous();
}

at::Tensor doraMerge(const at::Tensor& weight, const at::Tensor& delta, const at::Tensor& magnitude,
                     LoraLayout layout) {
  if (weight.sizes() != delta.sizes()) {
    throw std::invalid_argument("DoRA: weight shape " + c10::str(weight.sizes()) + " and delta shape " +
                                c10::str(delta.sizes()) + " differ");
  }
  const auto merged = toMatrix(weight.to(at::kFloat) + delta.to(at::kFloat), layout);
  if (magnitude.numel() != merged.size(0)) {
    throw std::invalid_argument("DoRA: magnitude has " + std::to_string(magnitude.numel()) + " values for " +
                                std::to_string(merged.size(0)) + " output rows");
  }
  const auto rowNorms = merged.norm(2, {1}, /*keepdim=*/true);
  const auto m = magnitude.to(at::kFloat).reshape({-1, 1});
  return fromMatrix(merged * (m / rowNorms), layout, weight.sizes());
}

LowRank catLoras(const std::vector<at::Tensor>& As, const std::vector<at::Tensor>& Bs,
                 const std::vector<double>& coefficients) {
  if (As.empty() || As.size() != Bs.size() || As.size() != coefficients.size()) {
    throw std::invalid_argument(
        "cat: " + std::to_string(As.size()) + " lora_A, " + std::to_string(Bs.size()) + " lora_B and " +
        std::to_string(coefficients.size()) + " coefficients; need the same non-zero number");
  }
  std::vector<at::Tensor> scaledAs;
  std::vector<at::Tensor> bs;
  for (std::size_t i = 0; i < As.size(); ++i) {
    scaledAs.push_back(As[i].to(at::kFloat) * coefficients[i]);
    bs.push_back(Bs[i].to(at::kFloat));
  }
  return {at::cat(scaledAs, 0), at::cat(bs, 1), 0.0};
}

LowRank svdRefactor(const at::Tensor& delta, std::int64_t rank, LoraLayout layout) {
  if (rank <= 0) {
    throw std::invalid_argument("svd re-factorization needs a positive rank, got " + std::to_string(rank));
  }
  const auto svd = svdOf(toMatrix(delta, layout));
  const auto r = std::min<std::int64_t>(rank, svd.S.size(0));
  const auto b = svd.U.slice(1, 0, r) * svd.S.slice(0, 0, r); // U_r·diag(S_r)
  const auto a = svd.Vh.slice(0, 0, r);                       // V_rᵀ
  return shapedFactors(a, b, truncationError(svd.S, r), layout, delta.sizes());
}

LowRank extractLora(const at::Tensor& finetuned, const at::Tensor& base, std::int64_t maxRank, double epsilon,
                    LoraLayout layout) {
  if (finetuned.sizes() != base.sizes()) {
    throw std::invalid_argument("extract LoRA: fine-tuned shape " + c10::str(finetuned.sizes()) +
                                " differs from the base shape " + c10::str(base.sizes()));
  }
  return lowRankOfDelta(finetuned.to(at::kFloat) - base.to(at::kFloat), maxRank, epsilon, layout);
}

LowRank lowRankOfDelta(const at::Tensor& delta, std::int64_t maxRank, double epsilon, LoraLayout layout) {
  const auto matrix = toMatrix(delta, layout);
  const auto svd = svdOf(matrix);
  const double largest = svd.S.numel() > 0 ? svd.S.max().item<double>() : 0.0;
  const double rounding = largest * static_cast<double>(std::max(matrix.size(0), matrix.size(1))) *
                          static_cast<double>(std::numeric_limits<float>::epsilon());
  const auto above = (svd.S > std::max(epsilon, rounding)).sum().item<std::int64_t>();
  const auto r = std::min<std::int64_t>(std::max<std::int64_t>(maxRank, 0), above);
  const auto rootS = svd.S.slice(0, 0, r).sqrt();
  const auto b = svd.U.slice(1, 0, r) * rootS;               // U·sqrt(Σ)
  const auto a = rootS.unsqueeze(1) * svd.Vh.slice(0, 0, r); // sqrt(Σ)·Vᵀ
  return shapedFactors(a, b, truncationError(svd.S, r), layout, delta.sizes());
}

} // namespace mg::ops
