#pragma once
// UTF-8 and the Unicode properties the tokenizers library takes from Rust's char (is_whitespace,
// is_numeric, is_alphanumeric, to_lowercase) and unicode-normalization (NFC, NFD, NFKC, NFKD), here from ICU.
#include <cstddef>
#include <string>
#include <string_view>

namespace mg::text {

void appendUtf8(std::string& out, char32_t c);
// The code point at `pos` of valid UTF-8; advances `pos` past it.
char32_t nextCodePoint(std::string_view s, std::size_t& pos);
// The byte length of the UTF-8 sequence that starts with `lead`.
std::size_t utf8Length(unsigned char lead);

// `bytes` as UTF-8, each maximal invalid subsequence replaced by U+FFFD (Rust's String::from_utf8_lossy,
// Python's errors="replace").
std::string validUtf8(std::string_view bytes);

bool isWhitespace(char32_t c);   // the White_Space property
bool isNumeric(char32_t c);      // general categories Nd, Nl, No
bool isAlphanumeric(char32_t c); // Alphabetic property or numeric

std::string trimWhitespaceLeft(std::string_view s);
std::string trimWhitespaceRight(std::string_view s);

enum class NormalForm { NFC, NFD, NFKC, NFKD };
std::string normalizeUnicode(std::string_view s, NormalForm form);
// Each code point's full lower-case mapping on its own (no final-sigma context), as Rust's to_lowercase of
// a char.
std::string lowercase(std::string_view s);

} // namespace mg::text
