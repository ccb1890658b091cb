#pragma once
// Strict JSON for the headers and indexes of model files. nlohmann's parser silently keeps one of two
// duplicate keys and recurses as deep as the input nests; a model file must be unambiguous, so this
// parser rejects duplicate keys, invalid UTF-8 and absurd nesting, always with a one-line IoError.
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace mg::io {

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool isValidUtf8(std::string_view s);

// Parses `text`, read from `file`; `what` names the text in messages ("header", "index").
// Throws IoError(file, "<what> is not valid UTF-8" / "<what> is not valid JSON: ..." /
// "<what> has a duplicate key 'k'" / "<what> nests too deeply").
nlohmann::json parseStrictJson(std::string_view text, const std::string& file, const std::string& what);

// 'name' in single quotes, control characters escaped, so messages stay on one line.
std::string quoteName(std::string_view name);

} // namespace mg::io
