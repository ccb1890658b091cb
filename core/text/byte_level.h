#pragma once
// GPT-2's byte-level alphabet: each of the 256 bytes is a printable character (the printable ASCII and
// Latin-1 bytes stand for themselves, the others for U+0100...), so any text is a string over 256 symbols.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace mg::text {

// The UTF-8 of the character standing for each byte.
const std::array<std::string, 256>& byteToChars();
// The byte a character stands for, if it is one of the 256.
std::optional<unsigned char> charToByte(char32_t c);
// `bytes` written in the byte-level alphabet.
std::string toByteLevel(std::string_view bytes);

// The pattern GPT-2 splits words with (the ByteLevel pre-tokenizer's use_regex).
extern const char* const kGpt2Pattern;

} // namespace mg::text
