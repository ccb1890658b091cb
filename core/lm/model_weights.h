#pragma once
// Internal to core/lm (LibTorch sources only): a model folder's tensors as LibTorch tensors in the compute
// dtype. A tensor stored in that dtype is a view of the memory-mapped safetensors file (no copy, pages
// shared with the page cache); any other dtype is converted once. Problems (missing tensors, wrong shapes)
// are collected so one error names them.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mg::io {
class TensorSource;
}

namespace mg::lm::detail {

// Fresh weights instead of a file's, as Hugging Face initialises a new model: matrices and embeddings drawn
// from N(0, std²), norm scales (1-D tensors named *norm.weight or ln_*.weight) 1, other vectors (biases) 0.
struct FreshWeights {
  std::uint64_t seed = 0;
  double std = 0.02; // config.json's initializer_range in Hugging Face
};

class ModelWeights {
public:
  // `weights`: the folder's safetensors (single file or sharded); `dtype` the compute dtype. `writable`:
  // copy every tensor into process memory instead of viewing the read-only mapping, so it can be trained.
  ModelWeights(const io::TensorSource& weights, at::ScalarType dtype, bool writable);
  // Fresh weights (always writable); `origin` names the model in errors.
  ModelWeights(const FreshWeights& fresh, at::ScalarType dtype, std::string origin);
  ~ModelWeights();

  // The first of `names` the file holds, checked against `shape`; an undefined tensor and a recorded
  // problem when none is there or it is shaped otherwise.
  at::Tensor fetch(const std::vector<std::string>& names, const std::vector<std::int64_t>& shape);
  bool has(const std::string& name) const;
  // Throws io::IoError(file, "a is missing; b has shape [..], expected [..]") when a fetch failed.
  void throwIfProblems() const;

  std::uint64_t mappedBytes() const { return mappedBytes_; } // served from the mapping
  std::uint64_t copiedBytes() const { return copiedBytes_; } // converted into owned memory
  // Every tensor fetched, under the name it was found by, in fetch order.
  const std::vector<std::pair<std::string, at::Tensor>>& fetched() const { return fetched_; }

private:
  struct Mapping;
  at::Tensor mapped(const std::string& name, const std::vector<std::int64_t>& shape);
  at::Tensor fresh(const std::string& name, const std::vector<std::int64_t>& shape);
  const io::TensorSource* weights_ = nullptr; // null: fresh weights
  std::optional<FreshWeights> fresh_;
  std::string origin_;
  at::ScalarType dtype_;
  bool writable_ = false;
  std::vector<std::pair<std::string, at::Tensor>> fetched_;
  std::vector<std::shared_ptr<Mapping>> mappings_;
  std::vector<std::string> problems_;
  std::uint64_t mappedBytes_ = 0, copiedBytes_ = 0;
};

} // namespace mg::lm::detail
