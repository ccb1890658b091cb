#include "graph/param_def.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "ops/merge_params.h"
#include "util/readable_number.h"

namespace mg::graph {

namespace {

// The range logic of core/ops, so a parameter a merge node takes from ops behaves exactly as the CLI's.
ops::ParamSpec rangeSpec(const ParamDef& def) {
  ops::ParamSpec spec;
  spec.name = def.name;
  spec.min = def.min;
  spec.max = def.max;
  spec.minInclusive = def.minInclusive;
  spec.maxInclusive = def.maxInclusive;
  return spec;
}

std::string shown(const ParamValue& value) {
  return value.dump(-1, ' ', false, ParamValue::error_handler_t::replace);
}

std::string mustBe(const ParamDef& def, const std::string& expected, const ParamValue& got) {
  return def.name + " must be " + expected + ", got " + shown(got);
}

MaybeError checkRange(const ParamDef& def, double value) {
  if (!std::isfinite(value)) {
    return def.name + " must be a finite number";
  }
  if (!def.inRange(value)) {
    return def.name + " must be in " + def.rangeText() + ", got " + shown(ParamValue(value));
  }
  return std::nullopt;
}

MaybeError normalizeReal(const ParamDef& def, ParamValue& value) {
  if (!value.is_number()) {
    return mustBe(def, "a number", value);
  }
  value = value.get<double>();
  return checkRange(def, value.get<double>());
}

MaybeError normalizeInt(const ParamDef& def, ParamValue& value) {
  if (value.is_number_float()) {
    // 3.0 from a hand-edited file or a spin box is the integer 3; 3.5 is not.
    const double d = value.get<double>();
    if (std::trunc(d) != d || std::abs(d) > 9.0e15) {
      return mustBe(def, "an integer", value);
    }
    value = static_cast<std::int64_t>(d);
  }
  if (!value.is_number_integer()) {
    return mustBe(def, "an integer", value);
  }
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return mustBe(def, "an integer below 2^63", value);
  }
  value = value.get<std::int64_t>();
  return checkRange(def, static_cast<double>(value.get<std::int64_t>()));
}

MaybeError normalizeRealList(const ParamDef& def, ParamValue& value) {
  if (value.is_number()) {
    value = ParamValue::array({value});
  }
  if (!value.is_array() || value.empty()) {
    return mustBe(def, "one number or a list of numbers", value);
  }
  for (auto& element : value) {
    if (auto error = normalizeReal(def, element)) {
      return error;
    }
  }
  return std::nullopt;
}

MaybeError normalizeKind(const ParamDef& def, ParamValue& value) {
  switch (def.kind) {
  case ParamKind::Bool: return value.is_boolean() ? MaybeError() : mustBe(def, "true or false", value);
  case ParamKind::Int: return normalizeInt(def, value);
  case ParamKind::Real: return normalizeReal(def, value);
  case ParamKind::RealList: return normalizeRealList(def, value);
  case ParamKind::Choice: {
    if (value.is_boolean()) { // mergekit's rescale: true
      value = value.get<bool>() ? "true" : "false";
    }
    for (const auto& [earlier, now] : def.valueAliases) {
      if (value.is_string() && value.get<std::string>() == earlier) value = now;
    }
    if (value.is_string() &&
        std::find(def.choices.begin(), def.choices.end(), value.get<std::string>()) != def.choices.end()) {
      return std::nullopt;
    }
    std::string list;
    for (const auto& choice : def.choices) {
      list += (list.empty() ? "" : " | ") + choice;
    }
    return mustBe(def, "one of " + list, value);
  }
  case ParamKind::Text:
  case ParamKind::Path: return value.is_string() ? MaybeError() : mustBe(def, "text", value);
  }
  return def.name + " has an unknown kind";
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

template <typename Number> std::optional<Number> parseNumber(const std::string& text) {
  Number number{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return number;
}

// A real number, or a fraction "1/3" as the workbench shows exact fractions (util/readable_number.h), so
// that what it shows can be typed back.
std::optional<double> parseRealOrFraction(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return parseNumber<double>(text);
  const auto numerator = parseNumber<double>(trim(text.substr(0, slash)));
  const auto denominator = parseNumber<double>(trim(text.substr(slash + 1)));
  if (!numerator || !denominator || *denominator == 0.0) return std::nullopt;
  return *numerator / *denominator;
}

// The text as a JSON value of the kind, or the original string when it does not parse (normalizeValue then
// says what was expected).
ParamValue fromText(const ParamDef& def, const std::string& raw) {
  const auto text = trim(raw);
  switch (def.kind) {
  case ParamKind::Bool: {
    const auto t = lower(text);
    if (t == "true" || t == "1" || t == "yes" || t == "on") {
      return true;
    }
    if (t == "false" || t == "0" || t == "no" || t == "off") {
      return false;
    }
    return text;
  }
  case ParamKind::Int: {
    const auto n = parseNumber<std::int64_t>(text);
    return n ? ParamValue(*n) : ParamValue(text);
  }
  case ParamKind::Real: {
    const auto x = parseRealOrFraction(text);
    return x ? ParamValue(*x) : ParamValue(text);
  }
  case ParamKind::RealList: {
    ParamValue list = ParamValue::array();
    std::size_t start = 0;
    while (true) {
      const auto comma = text.find(',', start);
      const auto part =
          trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      const auto x = parseRealOrFraction(part);
      if (!x) {
        return text;
      }
      list.push_back(*x);
      if (comma == std::string::npos) {
        return list;
      }
      start = comma + 1;
    }
  }
  case ParamKind::Choice: return text;
  case ParamKind::Text:
  case ParamKind::Path: return raw; // spaces may matter in a title or a file name
  }
  return raw;
}

} // namespace

std::string ParamDef::rangeText() const {
  return rangeSpec(*this).rangeText();
}

bool ParamDef::inRange(double value) const {
  return rangeSpec(*this).inRange(value);
}

const char* paramKindName(ParamKind kind) {
  static constexpr std::array<const char*, 7> names = {"bool",   "int",  "real", "real-list",
                                                       "choice", "text", "path"};
  return names.at(static_cast<std::size_t>(kind));
}

MaybeError normalizeValue(const ParamDef& def, ParamValue& value) {
  if (auto error = normalizeKind(def, value)) {
    return error;
  }
  if (def.check) {
    if (auto problem = def.check(value)) {
      return def.name + " " + *problem;
    }
  }
  return std::nullopt;
}

MaybeError parseValue(const ParamDef& def, const std::string& text, ParamValue& out) {
  out = fromText(def, text);
  return normalizeValue(def, out);
}

std::string valueText(const ParamValue& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_array()) {
    std::string text;
    for (const auto& element : value) {
      text += (text.empty() ? "" : ",") + valueText(element);
    }
    return text;
  }
  return shown(value);
}

std::string readableValueText(const ParamValue& value, int maxSignificant) {
  if (value.is_number_float()) return util::readableNumberText(value.get<double>(), maxSignificant);
  if (!value.is_array()) return valueText(value);
  std::string text;
  for (const auto& element : value)
    text += (text.empty() ? "" : ", ") + readableValueText(element, maxSignificant);
  return text;
}

} // namespace mg::graph
