#pragma once
// Plain, Qt-free and torch-free descriptions of tensors as stored in files.
#include "io/dtype.h"
#include "util/large_blocks.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mg::io {

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;

  // Element count and byte size; throws std::overflow_error when they do not fit in 64 bits.
  std::uint64_t numel() const;
  std::uint64_t nbytes() const;
  bool operator==(const TensorInfo& o) const {
    return name == o.name && dtype == o.dtype && shape == o.shape;
  }
};

// Tensor bytes: a std::vector whose large buffers come from util/large_blocks (huge pages, reused inside
// a util::LargeBlockReuse scope) instead of a fresh mapping for every tensor.
using TensorBytes = std::vector<std::byte, util::LargeBlockAllocator<std::byte>>;

// A tensor's raw bytes in its stored dtype, little-endian, row-major.
struct TensorData {
  TensorInfo info;
  TensorBytes bytes;

  // The values converted to float32 (BF16/F16/F8 widened, integers cast).
  std::vector<float> toFloat32() const;
  static TensorData fromFloat32(std::string name, std::vector<std::int64_t> shape,
                                const std::vector<float>& values, DType storeAs = DType::F32);
};

// "[3, 4]"
std::string shapeToString(const std::vector<std::int64_t>& shape);
// Checked product of a shape's dimensions; nullopt on overflow or a negative dimension.
std::optional<std::uint64_t> checkedNumel(const std::vector<std::int64_t>& shape);

// True for tensors whose first dimension is a vocabulary (token embeddings, LM heads): merges crop their
// inputs to the common vocabulary.
bool isVocabularyTensor(const std::string& name);

} // namespace mg::io
