#include "io/dtype.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

namespace mg::io {
namespace {

struct DTypeRow {
  DType type;
  std::string_view name;
  std::size_t size;
};

constexpr std::array<DTypeRow, 15> kTable{{
    {DType::Bool, "BOOL", 1},   {DType::U8, "U8", 1},     {DType::I8, "I8", 1},
    {DType::I16, "I16", 2},     {DType::U16, "U16", 2},   {DType::I32, "I32", 4},
    {DType::U32, "U32", 4},     {DType::I64, "I64", 8},   {DType::U64, "U64", 8},
    {DType::F16, "F16", 2},     {DType::BF16, "BF16", 2}, {DType::F32, "F32", 4},
    {DType::F64, "F64", 8},     {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
}};

const DTypeRow& row(DType t) { return kTable[static_cast<std::size_t>(t)]; }

template <typename T> T readLE(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof(T)); // memcpy: data in a mapped file may be unaligned
  return v;                      // x86-64 and aarch64 builds are little-endian
}

std::uint32_t floatBits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float bitsFloat(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

float halfToFloat(std::uint16_t h) {
  const std::uint32_t sign = (h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1f;
  const std::uint32_t man = h & 0x3ffu;
  if (exp == 0x1f) return bitsFloat(sign | 0x7f800000u | (man << 13));
  if (exp == 0) {
    const float v = std::ldexp(static_cast<float>(man), -24);
    return sign ? -v : v;
  }
  return bitsFloat(sign | ((exp + 112) << 23) | (man << 13));
}

// Generic round-to-nearest-even encoder for small IEEE-like formats (F16, F8_E5M2, F8_E4M3).
// expBits/manBits give the layout; `fnuz`-style specials are not used: E4M3 follows the OCP
// "FN" variant (no infinities, NaN = S.1111.111, max 448), E5M2 is IEEE-like with infinities.
std::uint32_t encodeSmallFloat(float f, int expBits, int manBits, bool hasInf) {
  const std::uint32_t signBit = 1u << (expBits + manBits);
  const std::uint32_t u = floatBits(f);
  const std::uint32_t sign = (u >> 31) ? signBit : 0;
  const int bias = (1 << (expBits - 1)) - 1;
  const std::uint32_t expMask = (1u << expBits) - 1;
  const std::uint32_t nanCode = hasInf ? ((expMask << manBits) | (1u << (manBits - 1)))
                                       : ((expMask << manBits) | ((1u << manBits) - 1));
  if (std::isnan(f)) return sign | nanCode;
  const float a = std::fabs(f);
  // Largest finite value of the format.
  const int maxExp = hasInf ? static_cast<int>(expMask) - 1 - bias : static_cast<int>(expMask) - bias;
  const double maxMan = hasInf ? 2.0 - std::ldexp(1.0, -manBits) : 2.0 - std::ldexp(1.0, 1 - manBits);
  const double maxFinite = std::ldexp(maxMan, maxExp);
  if (std::isinf(f) || a > maxFinite) {
    // Overflow: infinity where the format has one; E4M3FN saturates to NaN like torch's cast.
    if (hasInf) {
      // Values just above max that round down stay finite.
      const double halfUlp = std::ldexp(1.0, maxExp - manBits - 1);
      if (!std::isinf(f) && a < maxFinite + halfUlp)
        return sign | ((static_cast<std::uint32_t>(maxExp + bias) << manBits) | ((1u << manBits) - 1));
      return sign | (expMask << manBits);
    }
    const double halfUlp = std::ldexp(1.0, maxExp - manBits - 1);
    if (!std::isinf(f) && a < maxFinite + halfUlp)
      return sign | (static_cast<std::uint32_t>(maxExp + bias) << manBits) | ((1u << manBits) - 2);
    return sign | nanCode;
  }
  if (a == 0.0f) return sign;
  int e;
  std::frexp(a, &e); // a = m * 2^e, m in [0.5, 1)
  int unbiased = e - 1;
  const int minNormal = 1 - bias;
  // Quantum (spacing of representable values) at this magnitude.
  const int quantumExp = (unbiased < minNormal ? minNormal : unbiased) - manBits;
  const double scaled = std::ldexp(static_cast<double>(a), -quantumExp);
  double rounded = std::nearbyint(scaled); // default rounding mode: nearest even
  std::uint64_t q = static_cast<std::uint64_t>(rounded);
  // q counts quanta; rebuild exponent/mantissa, allowing mantissa carry.
  if (unbiased < minNormal) {
    // Subnormal range: q < 2^manBits is subnormal; q == 2^manBits becomes the smallest normal.
    if (q < (1u << manBits)) return sign | static_cast<std::uint32_t>(q);
    return sign | (1u << manBits) | static_cast<std::uint32_t>(q - (1u << manBits));
  }
  if (q >= (2u << manBits)) { // carry into the next binade
    q >>= 1;
    ++unbiased;
  }
  const std::uint32_t expField = static_cast<std::uint32_t>(unbiased + bias);
  return sign | (expField << manBits) | static_cast<std::uint32_t>(q - (1u << manBits));
}

float decodeSmallFloat(std::uint32_t bits, int expBits, int manBits, bool hasInf) {
  const std::uint32_t signBit = 1u << (expBits + manBits);
  const bool neg = bits & signBit;
  const std::uint32_t expMask = (1u << expBits) - 1;
  const std::uint32_t exp = (bits >> manBits) & expMask;
  const std::uint32_t man = bits & ((1u << manBits) - 1);
  const int bias = (1 << (expBits - 1)) - 1;
  float v;
  if (hasInf && exp == expMask) {
    v = man ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  } else if (!hasInf && exp == expMask && man == ((1u << manBits) - 1)) {
    v = std::numeric_limits<float>::quiet_NaN();
  } else if (exp == 0) {
    v = std::ldexp(static_cast<float>(man), 1 - bias - manBits);
  } else {
    v = std::ldexp(1.0f + std::ldexp(static_cast<float>(man), -manBits), static_cast<int>(exp) - bias);
  }
  return neg ? -v : v;
}

std::uint16_t floatToBf16(float f) {
  std::uint32_t u = floatBits(f);
  if (std::isnan(f)) return static_cast<std::uint16_t>((u >> 16) | 0x40); // keep it a quiet NaN
  u += 0x7fffu + ((u >> 16) & 1u);                                        // round to nearest even
  return static_cast<std::uint16_t>(u >> 16);
}

template <typename T> void widen(const std::byte* src, std::size_t n, float* dst) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(readLE<T>(src + i * sizeof(T)));
}

template <typename T> void narrow(const float* src, std::size_t n, std::byte* dst) {
  for (std::size_t i = 0; i < n; ++i) {
    const T v = static_cast<T>(src[i]);
    std::memcpy(dst + i * sizeof(T), &v, sizeof(T));
  }
}

} // namespace

std::string_view dtypeName(DType t) { return row(t).name; }

std::optional<DType> dtypeFromName(std::string_view name) {
  for (const auto& r : kTable)
    if (r.name == name) return r.type;
  return std::nullopt;
}

std::size_t dtypeSize(DType t) { return row(t).size; }

bool isFloatingPoint(DType t) {
  switch (t) {
  case DType::F16: case DType::BF16: case DType::F32: case DType::F64:
  case DType::F8_E4M3: case DType::F8_E5M2:
    return true;
  default:
    return false;
  }
}

void convertToFloat32(DType from, const std::byte* src, std::size_t count, float* dst) {
  switch (from) {
  case DType::Bool:
    for (std::size_t i = 0; i < count; ++i) dst[i] = src[i] != std::byte{0} ? 1.0f : 0.0f;
    return;
  case DType::U8: return widen<std::uint8_t>(src, count, dst);
  case DType::I8: return widen<std::int8_t>(src, count, dst);
  case DType::I16: return widen<std::int16_t>(src, count, dst);
  case DType::U16: return widen<std::uint16_t>(src, count, dst);
  case DType::I32: return widen<std::int32_t>(src, count, dst);
  case DType::U32: return widen<std::uint32_t>(src, count, dst);
  case DType::I64: return widen<std::int64_t>(src, count, dst);
  case DType::U64: return widen<std::uint64_t>(src, count, dst);
  case DType::F32: std::memcpy(dst, src, count * 4); return;
  case DType::F64: return widen<double>(src, count, dst);
  case DType::F16:
    for (std::size_t i = 0; i < count; ++i) dst[i] = halfToFloat(readLE<std::uint16_t>(src + 2 * i));
    return;
  case DType::BF16:
    for (std::size_t i = 0; i < count; ++i)
      dst[i] = bitsFloat(static_cast<std::uint32_t>(readLE<std::uint16_t>(src + 2 * i)) << 16);
    return;
  case DType::F8_E4M3:
    for (std::size_t i = 0; i < count; ++i)
      dst[i] = decodeSmallFloat(static_cast<std::uint8_t>(src[i]), 4, 3, false);
    return;
  case DType::F8_E5M2:
    for (std::size_t i = 0; i < count; ++i)
      dst[i] = decodeSmallFloat(static_cast<std::uint8_t>(src[i]), 5, 2, true);
    return;
  }
}

void convertFromFloat32(DType to, const float* src, std::size_t count, std::byte* dst) {
  switch (to) {
  case DType::Bool:
    for (std::size_t i = 0; i < count; ++i) dst[i] = std::byte{src[i] != 0.0f};
    return;
  case DType::U8: return narrow<std::uint8_t>(src, count, dst);
  case DType::I8: return narrow<std::int8_t>(src, count, dst);
  case DType::I16: return narrow<std::int16_t>(src, count, dst);
  case DType::U16: return narrow<std::uint16_t>(src, count, dst);
  case DType::I32: return narrow<std::int32_t>(src, count, dst);
  case DType::U32: return narrow<std::uint32_t>(src, count, dst);
  case DType::I64: return narrow<std::int64_t>(src, count, dst);
  case DType::U64: return narrow<std::uint64_t>(src, count, dst);
  case DType::F32: std::memcpy(dst, src, count * 4); return;
  case DType::F64: return narrow<double>(src, count, dst);
  case DType::F16:
    for (std::size_t i = 0; i < count; ++i) {
      const auto h = static_cast<std::uint16_t>(encodeSmallFloat(src[i], 5, 10, true));
      std::memcpy(dst + 2 * i, &h, 2);
    }
    return;
  case DType::BF16:
    for (std::size_t i = 0; i < count; ++i) {
      const auto b = floatToBf16(src[i]);
      std::memcpy(dst + 2 * i, &b, 2);
    }
    return;
  case DType::F8_E4M3:
    for (std::size_t i = 0; i < count; ++i)
      dst[i] = static_cast<std::byte>(encodeSmallFloat(src[i], 4, 3, false));
    return;
  case DType::F8_E5M2:
    for (std::size_t i = 0; i < count; ++i)
      dst[i] = static_cast<std::byte>(encodeSmallFloat(src[i], 5, 2, true));
    return;
  }
}

} // namespace mg::io
