#include "text/byte_level.h"

#include "text/unicode_text.h"

namespace mg::text {

const char* const kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

namespace {

std::array<char32_t, 256> makeByteToCodePoint() {
  std::array<char32_t, 256> table{};
  char32_t next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    table[b] = printable ? static_cast<char32_t>(b) : next++;
  }
  return table;
}

const std::array<char32_t, 256>& byteToCodePoint() {
  static const std::array<char32_t, 256> table = makeByteToCodePoint();
  return table;
}

} // namespace

const std::array<std::string, 256>& byteToChars() {
  static const std::array<std::string, 256> table = [] {
    std::array<std::string, 256> t;
    for (int b = 0; b < 256; ++b)
      appendUtf8(t[b], byteToCodePoint()[b]);
    return t;
  }();
  return table;
}

std::optional<unsigned char> charToByte(char32_t c) {
  static const std::array<int, 324> table = [] {
    std::array<int, 324> t;
    t.fill(-1);
    for (int b = 0; b < 256; ++b)
      t[byteToCodePoint()[b]] = b;
    return t;
  }();
  if (c >= table.size() || table[c] < 0) return std::nullopt;
  return static_cast<unsigned char>(table[c]);
}

std::string toByteLevel(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  const auto& chars = byteToChars();
  for (const char b : bytes)
    out += chars[static_cast<unsigned char>(b)];
  return out;
}

} // namespace mg::text
