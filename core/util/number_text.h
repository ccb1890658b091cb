#pragma once
// Numbers read from text that users typed (CLI values, rule texts, YAML scalars): the whole text must be the
// number, so "3x" or "" is refused rather than read as 3 or 0 the way std::stoi/std::stod would.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

namespace mg::util {

// An integer written in decimal digits with an optional leading '-': "12", "-1". Not "+1", " 1", "1.0".
inline std::optional<long long> parseInteger(const std::string& text) {
  const std::size_t digits = !text.empty() && text[0] == '-' ? 1 : 0;
  if (text.size() == digits || text.find_first_not_of("0123456789", digits) != std::string::npos)
    return std::nullopt;
  if (text.size() - digits > 18) return std::nullopt; // beyond long long: not a count anyone means
  return std::strtoll(text.c_str(), nullptr, 10);
}

// A real number in any form std::strtod reads ("0.5", "1e-6", "-2"), with nothing before or after it.
inline std::optional<double> parseReal(const std::string& text) {
  if (text.empty() || text.front() == ' ' || text.front() == '\t') return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

// A finite real number, the whole text, read the same in every locale (std::from_chars: a Qt application sets
// the C locale from the environment, and a decimal comma must not change what "0.5" means). For parameter
// values: "nan", "inf" and "" are refused.
inline std::optional<double> parseFiniteReal(const std::string& text) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

} // namespace mg::util
