#pragma once
// Element types of the tensors Merganser reads and writes (the safetensors dtype set).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mg::io {

enum class DType : std::uint8_t {
  Bool, U8, I8, I16, U16, I32, U32, I64, U64, F16, BF16, F32, F64, F8_E4M3, F8_E5M2
};

// The exact, case-sensitive safetensors name ("F32", "BF16", "F8_E4M3", ...).
std::string_view dtypeName(DType t);
// Parses a safetensors dtype name; nullopt for anything not in the list above.
std::optional<DType> dtypeFromName(std::string_view name);
// Bytes per element.
std::size_t dtypeSize(DType t);
bool isFloatingPoint(DType t);

// Converts `count` little-endian elements of type `from` at `src` (any alignment) to float32.
void convertToFloat32(DType from, const std::byte* src, std::size_t count, float* dst);
// Converts float32 values to `to` (round to nearest even for F16/BF16/F8), writing little-endian bytes.
void convertFromFloat32(DType to, const float* src, std::size_t count, std::byte* dst);

} // namespace mg::io
