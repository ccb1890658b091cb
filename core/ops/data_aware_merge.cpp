#include "ops/data_aware_merge.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace mg::ops {

namespace {

at::Tensor meanOf(const std::vector<at::Tensor>& inputs) {
  at::Tensor sum = at::zeros_like(inputs.front(), at::kDouble);
  for (const auto& t : inputs)
    sum.add_(t.to(at::kDouble));
  return (sum / double(inputs.size())).to(at::kFloat);
}

} // namespace

at::Tensor fisherMerge(const std::vector<at::Tensor>& inputs, const std::vector<double>& weights,
                       const std::vector<at::Tensor>& fishers, const std::vector<double>& floors) {
  at::Tensor numerator = at::zeros_like(inputs.front(), at::kDouble);
  at::Tensor denominator = at::zeros_like(inputs.front(), at::kDouble);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    at::Tensor f = fishers.at(i).defined() ? fishers[i].to(at::kDouble) : at::zeros_like(numerator);
    if (f.sizes() != inputs[i].sizes())
      throw std::invalid_argument("the Fisher of input " + std::to_string(i + 1) + " has shape " +
                                  c10::str(f.sizes()) + ", the tensor " + c10::str(inputs[i].sizes()));
    const at::Tensor weighted = f.clamp_min(floors.at(i)) * weights.at(i);
    numerator.add_(weighted * inputs[i].to(at::kDouble));
    denominator.add_(weighted);
  }
  if ((denominator == 0).any().item<bool>())
    throw std::invalid_argument("fisher: the weighted Fishers sum to 0 (input weights 0, or epsilon 0 where "
                                "no input has Fisher information)");
  return (numerator / denominator).to(at::kFloat);
}

at::Tensor regmeanMerge(const std::vector<at::Tensor>& inputs, const std::vector<at::Tensor>& grams,
                        double alpha) {
  if (alpha < 0 || alpha > 1) throw std::invalid_argument("regmean: alpha must be in [0, 1]");
  const at::Tensor& first = inputs.front();
  bool linear = first.dim() == 2;
  for (std::size_t i = 0; linear && i < inputs.size(); ++i)
    linear = grams.at(i).defined();
  if (!linear) return meanOf(inputs);
  const std::int64_t in = first.size(1);
  at::Tensor sumGram = at::zeros({in, in}, at::kDouble);
  at::Tensor sumProduct = at::zeros({in, first.size(0)}, at::kDouble);
  std::vector<at::Tensor> scaled;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (grams[i].dim() != 2 || grams[i].size(0) != in || grams[i].size(1) != in)
      throw std::invalid_argument("the Gram matrix of input " + std::to_string(i + 1) + " has shape " +
                                  c10::str(grams[i].sizes()) + ", the weight takes " + std::to_string(in) +
                                  " inputs");
    const at::Tensor g = grams[i].to(at::kDouble);
    scaled.push_back(alpha * g + (1 - alpha) * at::diag(at::diag(g)));
    sumGram.add_(scaled.back());
  }
  // Input features no model's data reaches leave W's column free: give it the mean of the inputs' columns
  // (a unit diagonal in every G̃_i, which no off-diagonal entry couples to the rest).
  const at::Tensor unseen = at::diag(sumGram) == 0;
  const at::Tensor unit = at::diag(unseen.to(at::kDouble));
  sumGram.add_(unit * double(inputs.size()));
  for (std::size_t i = 0; i < inputs.size(); ++i)
    sumProduct.add_(at::mm(scaled[i] + unit, inputs[i].to(at::kDouble).t()));
  at::Tensor solution;
  try {
    solution = at::linalg_solve(sumGram, sumProduct);
  } catch (const c10::Error&) { // singular: the minimum-norm least-squares solution
    solution = at::mm(at::linalg_pinv(sumGram, 1e-12, true), sumProduct);
  }
  if (!solution.isfinite().all().item<bool>())
    solution = at::mm(at::linalg_pinv(sumGram, 1e-12, true), sumProduct);
  return solution.t().contiguous().to(at::kFloat);
}

} // namespace mg::ops
