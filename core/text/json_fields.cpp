// Reading the members of tokenizer.json's objects with messages that name the component.
#include <nlohmann/json.hpp>

#include "text/tokenizer_parts.h"

namespace mg::text {

TokenizerParts::TokenizerParts() = default;

const Json* optionalMember(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

const Json& member(const Json& object, const char* key, const std::string& what) {
  if (!object.is_object()) throw FormatError(what + " is not an object");
  const Json* found = optionalMember(object, key);
  if (!found) throw FormatError(what + " has no \"" + key + "\"");
  return *found;
}

std::string stringMember(const Json& object, const char* key, const std::string& what) {
  const Json& value = member(object, key, what);
  if (!value.is_string()) throw FormatError(what + ": \"" + key + "\" is not a string");
  return value.get<std::string>();
}

bool boolMember(const Json& object, const char* key, bool fallback, const std::string& what) {
  const Json* value = optionalMember(object, key);
  if (!value) return fallback;
  if (!value->is_boolean()) throw FormatError(what + ": \"" + key + "\" is not true or false");
  return value->get<bool>();
}

std::int64_t intMember(const Json& object, const char* key, std::int64_t fallback, const std::string& what) {
  const Json* value = optionalMember(object, key);
  if (!value) return fallback;
  if (!value->is_number_integer()) throw FormatError(what + ": \"" + key + "\" is not an integer");
  return value->get<std::int64_t>();
}

std::string componentType(const Json& config, const std::string& kind) {
  if (!config.is_object()) throw FormatError(kind + " is not an object");
  const Json* type = optionalMember(config, "type");
  if (!type || !type->is_string()) throw FormatError(kind + " has no \"type\"");
  return type->get<std::string>();
}

void unsupported(const std::string& kind, const std::string& type, const char* supported) {
  throw FormatError("unsupported " + kind + " \"" + type + "\" (supported: " + supported + ")");
}

} // namespace mg::text
