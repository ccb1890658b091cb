#pragma once
// Internal to core/io: typed, strict reading of PEFT's adapter_config.json fields (LoRA and IA³ share it).
#include "io/io_error.h"
#include "io/strict_json.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <regex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace mg::io::detail {

using ojson = nlohmann::ordered_json; // rank_pattern / alpha_pattern: the first matching key wins

// PEFT's own rule (peft.utils.other.get_pattern_key): re.match(rf"(.*\.)?({key})$", module).
inline bool patternMatches(const std::string& key, const std::string& module) {
  return std::regex_match(module, std::regex("(.*\\.)?(" + key + ")$", std::regex::ECMAScript));
}

template <typename T>
const T* firstMatch(const std::vector<std::pair<std::string, T>>& patterns, const std::string& module) {
  for (const auto& [key, value] : patterns)
    if (patternMatches(key, module)) return &value;
  return nullptr;
}

// Typed access to the fields of the config object. An absent field keeps its default, and so does a
// null one, except for numbers: nlohmann writes NaN as null, and a NaN alpha must not become the default.
class Fields {
public:
  Fields(const ojson& object, const std::string& file) : object_(object), file_(file) {}

  const ojson* get(const char* key) const {
    const ojson* v = find(key);
    return v && v->is_null() ? nullptr : v;
  }
  const ojson* find(const char* key) const {
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  [[noreturn]] void wrongType(const std::string& field, const char* expected) const {
    throw IoError(file_, "field " + quoteName(field) + " must be " + expected);
  }
  void read(const char* key, bool& out) const {
    const ojson* v = get(key);
    if (!v) return;
    if (!v->is_boolean()) wrongType(key, "true or false");
    out = v->get<bool>();
  }
  void read(const char* key, std::string& out) const {
    const ojson* v = get(key);
    if (!v) return;
    if (!v->is_string()) wrongType(key, "a string");
    out = v->get<std::string>();
  }
  void read(const char* key, int& out) const {
    if (const ojson* v = find(key)) out = integer(*v, key);
  }
  void read(const char* key, double& out) const {
    if (const ojson* v = find(key)) out = number(*v, key);
  }
  // A list of strings, or one string ("all-linear", a regex); returns true for the single string.
  bool read(const char* key, std::vector<std::string>& out) const {
    out.clear();
    const ojson* v = get(key);
    if (!v) return false;
    if (v->is_string()) {
      out.push_back(v->get<std::string>());
      return true;
    }
    if (!v->is_array()) wrongType(key, "a list of strings");
    for (const auto& item : *v) {
      if (!item.is_string()) wrongType(key, "a list of strings");
      out.push_back(item.get<std::string>());
    }
    return false;
  }
  template <typename T>
  void readPatterns(const char* key, std::vector<std::pair<std::string, T>>& out) const {
    out.clear();
    const ojson* v = get(key);
    if (!v) return;
    if (!v->is_object()) wrongType(key, "an object");
    for (const auto& [pattern, value] : v->items()) {
      const std::string field = std::string(key) + "[" + quoteName(pattern) + "]";
      try {
        patternMatches(pattern, "");
      } catch (const std::regex_error&) {
        throw IoError(file_, "field " + quoteName(field) + ": the key is not a valid regular expression");
      }
      if constexpr (std::is_same_v<T, int>)
        out.emplace_back(pattern, integer(value, field));
      else
        out.emplace_back(pattern, number(value, field));
    }
  }

private:
  int integer(const ojson& v, const std::string& field) const {
    constexpr std::int64_t kMax = std::numeric_limits<int>::max();
    if (!v.is_number_integer()) wrongType(field, "an integer");
    if (v.is_number_unsigned() ? v.get<std::uint64_t>() > std::uint64_t(kMax)
                               : v.get<std::int64_t>() < -kMax || v.get<std::int64_t>() > kMax)
      wrongType(field, "an integer that fits in 32 bits");
    return v.get<int>();
  }
  double number(const ojson& v, const std::string& field) const {
    if (!v.is_number()) wrongType(field, "a number");
    return v.get<double>();
  }

  const ojson& object_;
  const std::string& file_;
};

// PEFT writes whole numbers as JSON integers ("lora_alpha": 16); keep that so files diff cleanly.
inline ojson numberJson(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.0e15) return static_cast<std::int64_t>(x);
  return x;
}

// The parsed adapter_config.json; throws IoError for text that is not a JSON object.
inline ojson parseConfigObject(const std::string& jsonText, const std::string& file) {
  ojson doc;
  try {
    doc = ojson::parse(jsonText);
  } catch (const ojson::exception& e) {
    throw IoError(file, std::string("not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) throw IoError(file, "not a JSON object");
  return doc;
}

// Its "peft_type", "" when absent or not a string.
inline std::string peftTypeOf(const std::string& jsonText, const std::string& file) {
  const ojson doc = parseConfigObject(jsonText, file);
  const auto it = doc.find("peft_type");
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace mg::io::detail
