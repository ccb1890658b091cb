#pragma once
// Internal to core/lm (LibTorch sources only): a model folder's tensors as LibTorch tensors in the compute
// dtype. A tensor stored in that dtype is a view of the memory-mapped safetensors file (no copy, pages
// shared with the page cache); any other dtype is converted once. Problems (missing tensors, wrong shapes)
// are collected so one error names them.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mg::io {
class TensorSource;
}

namespace mg::lm::detail {

class ModelWeights {
public:
  // `weights`: the folder's safetensors (single file or sharded); `dtype` the compute dtype.
  ModelWeights(const io::TensorSource& weights, at::ScalarType dtype);
  ~ModelWeights();

  // The first of `names` the file holds, checked against `shape`; an undefined tensor and a recorded
  // problem when none is there or it is shaped otherwise.
  at::Tensor fetch(const std::vector<std::string>& names, const std::vector<std::int64_t>& shape);
  bool has(const std::string& name) const;
  // Throws io::IoError(file, "a is missing; b has shape [..], expected [..]") when a fetch failed.
  void throwIfProblems() const;

  std::uint64_t mappedBytes() const { return mappedBytes_; } // served from the mapping
  std::uint64_t copiedBytes() const { return copiedBytes_; } // converted into owned memory

private:
  struct Mapping;
  at::Tensor mapped(const std::string& name, const std::vector<std::int64_t>& shape);
  const io::TensorSource& weights_;
  at::ScalarType dtype_;
  std::vector<std::shared_ptr<Mapping>> mappings_;
  std::vector<std::string> problems_;
  std::uint64_t mappedBytes_ = 0, copiedBytes_ = 0;
};

} // namespace mg::lm::detail
