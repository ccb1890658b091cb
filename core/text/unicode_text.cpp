#include "text/unicode_text.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <stdexcept>
#include <vector>

namespace mg::text {

void appendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::size_t utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  return 2;
}

char32_t nextCodePoint(std::string_view s, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(s[pos]);
  const std::size_t n = utf8Length(lead);
  char32_t c = n == 1 ? lead : n == 2 ? lead & 0x1F : n == 3 ? lead & 0x0F : lead & 0x07;
  for (std::size_t i = 1; i < n && pos + i < s.size(); ++i)
    c = (c << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
  pos += n;
  return c;
}

std::string validUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  while (i < bytes.size()) {
    const unsigned char b = at(i);
    if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    // The valid ranges of the second byte (Unicode table 3-7); a maximal subpart ends at the first byte
    // outside them.
    std::size_t need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
      need = 1;
    else if (b == 0xE0)
      need = 2, lo = 0xA0;
    else if (b >= 0xE1 && b <= 0xEC)
      need = 2;
    else if (b == 0xED)
      need = 2, hi = 0x9F;
    else if (b >= 0xEE && b <= 0xEF)
      need = 2;
    else if (b == 0xF0)
      need = 3, lo = 0x90;
    else if (b >= 0xF1 && b <= 0xF3)
      need = 3;
    else if (b == 0xF4)
      need = 3, hi = 0x8F;
    std::size_t k = 1;
    bool ok = need > 0;
    for (; ok && k <= need; ++k) {
      if (i + k >= bytes.size()) {
        ok = false;
        break;
      }
      const unsigned char c = at(i + k);
      const bool inRange = k == 1 ? (c >= lo && c <= hi) : (c >= 0x80 && c <= 0xBF);
      if (!inRange) {
        ok = false;
        break;
      }
    }
    if (ok) {
      out.append(bytes.substr(i, need + 1));
      i += need + 1;
    } else {
      out += "\xEF\xBF\xBD";
      i += need == 0 ? 1 : k; // k: the bytes of the maximal subpart read so far
    }
  }
  return out;
}

bool isWhitespace(char32_t c) {
  return u_isUWhiteSpace(static_cast<UChar32>(c));
}

bool isNumeric(char32_t c) {
  const auto type = u_charType(static_cast<UChar32>(c));
  return type == U_DECIMAL_DIGIT_NUMBER || type == U_LETTER_NUMBER || type == U_OTHER_NUMBER;
}

bool isAlphanumeric(char32_t c) {
  return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_ALPHABETIC) || isNumeric(c);
}

std::string trimWhitespaceLeft(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t next = pos;
    if (!isWhitespace(nextCodePoint(s, next))) break;
    pos = next;
  }
  return std::string(s.substr(pos));
}

std::string trimWhitespaceRight(std::string_view s) {
  std::size_t end = 0, pos = 0;
  while (pos < s.size()) {
    const char32_t c = nextCodePoint(s, pos);
    if (!isWhitespace(c)) end = pos;
  }
  return std::string(s.substr(0, end));
}

namespace {

std::u16string toUtf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    const char32_t c = nextCodePoint(s, pos);
    if (c >= 0x10000) {
      out += static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10));
      out += static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      out += static_cast<char16_t>(c);
    }
  }
  return out;
}

std::string fromUtf16(const char16_t* s, std::size_t n) {
  std::string out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    char32_t c = s[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) c = 0x10000 + ((c - 0xD800) << 10) + (s[++i] - 0xDC00);
    appendUtf8(out, c);
  }
  return out;
}

} // namespace

std::string normalizeUnicode(std::string_view s, NormalForm form) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* normalizer = form == NormalForm::NFC    ? unorm2_getNFCInstance(&status)
                                   : form == NormalForm::NFD  ? unorm2_getNFDInstance(&status)
                                   : form == NormalForm::NFKC ? unorm2_getNFKCInstance(&status)
                                                              : unorm2_getNFKDInstance(&status);
  if (U_FAILURE(status))
    throw std::runtime_error(std::string("ICU normalizer unavailable: ") + u_errorName(status));
  const std::u16string in = toUtf16(s);
  const auto* src = reinterpret_cast<const UChar*>(in.data());
  if (unorm2_isNormalized(normalizer, src, static_cast<int32_t>(in.size()), &status) && U_SUCCESS(status))
    return std::string(s);
  status = U_ZERO_ERROR;
  std::vector<UChar> out(in.size() * 4 + 16);
  int32_t n = unorm2_normalize(normalizer, src, static_cast<int32_t>(in.size()), out.data(),
                               static_cast<int32_t>(out.size()), &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    status = U_ZERO_ERROR;
    out.resize(static_cast<std::size_t>(n));
    n = unorm2_normalize(normalizer, src, static_cast<int32_t>(in.size()), out.data(), n, &status);
  }
  if (U_FAILURE(status))
    throw std::runtime_error(std::string("ICU normalization failed: ") + u_errorName(status));
  return fromUtf16(reinterpret_cast<const char16_t*>(out.data()), static_cast<std::size_t>(n));
}

std::string lowercase(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    const char32_t c = nextCodePoint(s, pos);
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      continue;
    }
    UChar in[2];
    int32_t inLength = 0;
    U16_APPEND_UNSAFE(in, inLength, static_cast<UChar32>(c));
    UChar lower[8];
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = u_strToLower(lower, 8, in, inLength, "", &status);
    if (U_FAILURE(status)) {
      appendUtf8(out, c);
      continue;
    }
    out += fromUtf16(reinterpret_cast<const char16_t*>(lower), static_cast<std::size_t>(n));
  }
  return out;
}

} // namespace mg::text
