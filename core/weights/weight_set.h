#pragma once
// A lazily evaluated set of named weights: the value that flows along Model edges. It lists its
// tensors without computing them and produces any one tensor (float32) on demand, so a sink can
// pull a whole model through a chain of merges one tensor at a time.
#include "io/tensor.h"

#include <memory>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace mg::engine {

class WeightSet {
public:
  virtual ~WeightSet() = default;
  // Every tensor (sorted by name); dtype is the dtype it is stored in (the export default).
  virtual const std::vector<io::TensorInfo>& tensors() const = 0;
  // The tensor as float32 on the CPU, freshly made: the caller owns it and may modify it in place.
  // Thread-safe. Throws std::runtime_error naming the tensor.
  virtual at::Tensor load(const std::string& name) const = 0;
  // A short description for error messages ("adapter folder/ on base.safetensors").
  virtual std::string describe() const = 0;

  const io::TensorInfo* find(const std::string& name) const;
};

using WeightSetPtr = std::shared_ptr<const WeightSet>;

} // namespace mg::engine
