#include "weights/linear_combination.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace mg::engine {

LinearCombination::LinearCombination(std::vector<std::pair<WeightSetPtr, double>> terms,
                                     std::string description)
    : terms_(std::move(terms)), description_(std::move(description)) {
  if (terms_.empty()) throw std::invalid_argument("a linear combination needs at least one term");
  for (const auto& info : tensors()) {
    for (std::size_t k = 1; k < terms_.size(); ++k) {
      const auto* other = terms_[k].first->find(info.name);
      if (!other) {
        throw std::runtime_error(terms_[k].first->describe() + " has no tensor '" + info.name + "'");
      }
      if (other->shape != info.shape) {
        throw std::runtime_error("tensor '" + info.name + "' has shape " + io::shapeToString(other->shape) +
                                 " in " + terms_[k].first->describe() + " but " +
                                 io::shapeToString(info.shape) + " in " + terms_.front().first->describe());
      }
    }
  }
}

at::Tensor LinearCombination::load(const std::string& name) const {
  at::Tensor sum = terms_.front().first->load(name);
  if (terms_.front().second != 1.0) sum.mul_(terms_.front().second);
  for (std::size_t k = 1; k < terms_.size(); ++k)
    sum.add_(terms_[k].first->load(name), terms_[k].second);
  return sum;
}

} // namespace mg::engine
