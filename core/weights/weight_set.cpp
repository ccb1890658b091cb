#include "weights/weight_set.h"

#include <algorithm>

namespace mg::engine {

const io::TensorInfo* WeightSet::find(const std::string& name) const {
  const auto& list = tensors();
  const auto it = std::lower_bound(list.begin(), list.end(), name,
                                   [](const io::TensorInfo& t, const std::string& n) { return t.name < n; });
  return it != list.end() && it->name == name ? &*it : nullptr;
}

} // namespace mg::engine
