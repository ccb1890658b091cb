#include "util/readable_number.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace mg::util {

namespace {

// Significant digits of the shortest spelling that reads back as `value` exactly ("0.1" → 1).
int shortestSignificantDigits(double value) {
  char text[64];
  const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::scientific);
  int digits = 0;
  for (const char* c = text; c != result.ptr && *c != 'e'; ++c)
    if (*c >= '0' && *c <= '9') ++digits;
  return digits;
}

// A fraction is worth writing only when the decimal would be long: a short one says the same plainly.
constexpr int kShortDecimal = 6;

} // namespace

std::optional<Fraction> exactFraction(double value, long long maxDenominator) {
  if (!std::isfinite(value) || value == std::trunc(value)) return std::nullopt;
  if (shortestSignificantDigits(value) <= kShortDecimal) return std::nullopt;
  for (long long q = 2; q <= maxDenominator; ++q) {
    const double p = std::round(value * double(q));
    if (std::fabs(p) > 1e15) return std::nullopt;
    if (p / double(q) == value) return Fraction{static_cast<long long>(p), q};
  }
  return std::nullopt;
}

ReadableNumber readableNumber(double value, int maxSignificant) {
  ReadableNumber readable;
  readable.fraction = exactFraction(value);
  if (std::isfinite(value) && value != 0.0) {
    const int shortest = shortestSignificantDigits(value);
    // Integers keep every digit: "1200", not "1.2e+03".
    const int integerDigits = value == std::trunc(value) && std::fabs(value) < 1e15
                                  ? int(std::floor(std::log10(std::fabs(value)))) + 1
                                  : 0;
    readable.significantDigits = std::max({1, std::min(shortest, maxSignificant), integerDigits});
  }
  return readable;
}

std::string readableNumberText(double value, int maxSignificant) {
  const ReadableNumber readable = readableNumber(value, maxSignificant);
  if (readable.fraction)
    return std::to_string(readable.fraction->numerator) + "/" +
           std::to_string(readable.fraction->denominator);
  char text[64];
  std::snprintf(text, sizeof text, "%.*g", readable.significantDigits, value);
  return text;
}

} // namespace mg::util
