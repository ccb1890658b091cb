#pragma once
// Plain, Qt-free and torch-free descriptions of tensors as stored in files.
#include "io/dtype.h"

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

// A tensor's raw bytes in its stored dtype, little-endian, row-major.
struct TensorData {
  TensorInfo info;
  std::vector<std::byte> bytes;

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
