// Spec, "knots"; the paper's code is github.com/gstoica27/KnOTS (SVDMerger with s_on_V = true).
#include "ops/knots_merge.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "ops/family_methods.h"
#include "ops/task_arithmetic_family.h"

namespace mg::ops {

namespace {

// The [out, r] and [r, in] matrices of PEFT factors (conv kernels flattened past their first dimension).
at::Tensor factorMatrix(const at::Tensor& factor) {
  return factor.to(at::kFloat).flatten(1);
}

// The family row that merges the coefficients: ties or task_arithmetic.
const FamilyMethod& innerMethod(const MergeParams& params) {
  const auto* method = findFamilyMethod(params.knotsMerge);
  if (method == nullptr || (params.knotsMerge != "ties" && params.knotsMerge != "task_arithmetic"))
    throw std::invalid_argument("knots: merge must be ties or task_arithmetic, got " + params.knotsMerge);
  return *method;
}

} // namespace

KnotsUpdate knotsUpdate(const std::vector<LoraFactors>& factors, const std::vector<double>& weights,
                        const MergeParams& params, const std::string& tensorName) {
  if (factors.empty() || weights.size() != factors.size())
    throw std::invalid_argument("knots: " + std::to_string(factors.size()) + " adapters and " +
                                std::to_string(weights.size()) + " weights");
  // [ΔW_1 … ΔW_T] = [B_1 … B_T]·diag(s_1·A_1, …, s_T·A_T), factored without forming it: QR of the stacked
  // B's and of each (s_i·A_i)ᵀ, then the SVD of the small core between them.
  std::vector<at::Tensor> bs, qs, rs;
  for (const auto& f : factors) {
    const auto a = factorMatrix(f.A) * f.scaling;
    const auto b = factorMatrix(f.B);
    if (b.size(1) != a.size(0))
      throw std::invalid_argument("knots: lora_B " + c10::str(f.B.sizes()) + " does not chain with lora_A " +
                                  c10::str(f.A.sizes()));
    if (!bs.empty() && (b.size(0) != bs.front().size(0) || a.size(1) != qs.front().size(0)))
      throw std::invalid_argument("knots: the adapters' updates of this weight differ in shape");
    bs.push_back(b);
    auto [q, r] = at::linalg_qr(a.t()); // (s·A)ᵀ = Q·R, Q [n, min(n, r)]
    qs.push_back(q);
    rs.push_back(r);
  }
  auto [qb, rb] = at::linalg_qr(at::cat(bs, 1)); // [B_1 … B_T] = Q_B·R_B
  std::vector<at::Tensor> coreBlocks;
  std::int64_t column = 0;
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const auto rank = bs[i].size(1);
    coreBlocks.push_back(at::matmul(rb.narrow(1, column, rank), rs[i].t()));
    column += rank;
  }
  auto [u, s, vh] = at::linalg_svd(at::cat(coreBlocks, 1), /*full_matrices=*/false);
  // Directions above float32 rounding of the m × T·n matrix the SVD stands for (spec).
  const auto m = qb.size(0);
  const auto width = qs.front().size(0) * static_cast<std::int64_t>(factors.size());
  const double largest = s.numel() > 0 ? s.max().item<double>() : 0.0;
  const double tolerance = largest * static_cast<double>(std::max(m, width)) *
                           static_cast<double>(std::numeric_limits<float>::epsilon());
  const auto k = (s > tolerance).sum().item<std::int64_t>();

  KnotsUpdate out;
  out.u = at::matmul(qb, u.narrow(1, 0, k));
  out.s = s.narrow(0, 0, k);
  std::vector<at::Tensor> coefficients; // C_i = diag(S)·V_iᵀ = diag(S)·(V'ᵀ)_{block i}·Q_iᵀ
  std::int64_t offset = 0;
  for (const auto& q : qs) {
    const auto block = vh.narrow(0, 0, k).narrow(1, offset, q.size(1));
    coefficients.push_back(out.s.unsqueeze(1) * at::matmul(block, q.t()));
    offset += q.size(1);
  }
  out.c = k == 0 ? at::zeros({0, qs.front().size(0)}, at::kFloat)
                 : mixTaskVectors(innerMethod(params), coefficients, weights, params, tensorName);
  return out;
}

at::Tensor knotsDelta(const KnotsUpdate& update, LoraLayout layout, c10::IntArrayRef weightShape) {
  const auto product = at::matmul(update.u, update.c);
  return layout == LoraLayout::Linear ? product.reshape(weightShape) : product.t().contiguous();
}

LowRank knotsFactors(const KnotsUpdate& update, c10::IntArrayRef weightShape, LoraLayout layout) {
  const auto root = update.s.sqrt();
  LowRank out{(update.c / root.unsqueeze(1)).contiguous(), (update.u * root).contiguous(), 0.0};
  if (layout == LoraLayout::Linear &&
      weightShape.size() > 2) { // conv: PEFT's A [k, in, k...], B [out, k, 1...]
    std::vector<std::int64_t> aShape{out.A.size(0)}, bShape{out.B.size(0), out.B.size(1)};
    for (std::size_t d = 1; d < weightShape.size(); ++d)
      aShape.push_back(weightShape[d]);
    bShape.resize(weightShape.size(), 1);
    out.A = out.A.reshape(aShape);
    out.B = out.B.reshape(bShape);
  }
  return out;
}

std::optional<KnotsUpdate> knotsUpdateOf(const LoraInputs& lora, const std::vector<double>& weights,
                                         const MergeParams& params, const std::string& tensorName) {
  std::vector<LoraFactors> factors;
  std::vector<double> present;
  MergeParams inner = params;
  inner.precision = Precision::F32; // the coefficients are computed in float32 (spec)
  inner.densities.clear();
  for (std::size_t i = 0; i < lora.inputs.size(); ++i) {
    if (!lora.inputs[i]) continue;
    factors.push_back(*lora.inputs[i]);
    present.push_back(weights.empty() ? 1.0 : weights.at(i));
    inner.densities.push_back(params.densityOf(i));
  }
  if (factors.empty()) return std::nullopt;
  return knotsUpdate(factors, present, inner, tensorName);
}

at::Tensor knotsMerge(std::vector<at::Tensor> inputs, const at::Tensor& base,
                      const std::vector<double>& weights, const MergeParams& params, const LoraInputs* lora,
                      const std::string& tensorName) {
  if (lora == nullptr || lora->inputs.size() != inputs.size())
    throw std::invalid_argument(
        "knots merges LoRA adapters through their A/B factors; give PEFT LoRA adapters "
        "as inputs");
  const auto update = knotsUpdateOf(*lora, weights, params, tensorName);
  if (!update) // no adapter's update: merged as dense task vectors (whole tensors, or the base)
    return taskArithmeticMerge(innerMethod(params), std::move(inputs), base, weights, params, tensorName);
  const auto layout =
      std::find_if(lora->inputs.begin(), lora->inputs.end(), [](const auto& f) { return f.has_value(); })
          ->value()
          .layout;
  return base.to(at::kFloat) + knotsDelta(*update, layout, base.sizes());
}

} // namespace mg::ops
