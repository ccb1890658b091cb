#include "io/strict_json.h"

#include "io/io_error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <set>
#include <vector>

namespace mg::io {
namespace {

// Valid headers nest three levels (object → entry → shape); anything far deeper is hostile input
// that would only cost memory and time.
constexpr int kMaxDepth = 32;

struct DuplicateKey {
  std::string key;
};
struct TooDeep {};

} // namespace

bool isValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false; // continuation byte, overlong lead (C0/C1) or beyond U+10FFFF (F5..FF)
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) return false; // overlong
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

nlohmann::json parseStrictJson(std::string_view text, const std::string& file, const std::string& what) {
  if (!isValidUtf8(text)) throw IoError(file, what + " is not valid UTF-8");
  // nlohmann stops at a NUL byte as if the input ended there, which would accept "{}\0<anything>".
  // JSON allows no raw NUL anywhere (strings must escape it).
  if (const auto nul = text.find('\0'); nul != std::string_view::npos)
    throw IoError(file, what + " is not valid JSON: NUL byte at offset " + std::to_string(nul));

  using Event = nlohmann::json::parse_event_t;
  std::vector<std::set<std::string>> keysPerObject; // the keys seen in each object being parsed
  const auto callback = [&](int depth, Event event, nlohmann::json& parsed) {
    switch (event) {
    case Event::object_start:
      if (depth > kMaxDepth) throw TooDeep{};
      keysPerObject.emplace_back();
      break;
    case Event::array_start:
      if (depth > kMaxDepth) throw TooDeep{};
      break;
    case Event::key:
      if (!keysPerObject.back().insert(parsed.get<std::string>()).second)
        throw DuplicateKey{parsed.get<std::string>()};
      break;
    case Event::object_end: keysPerObject.pop_back(); break;
    default: break;
    }
    return true;
  };

  try {
    return nlohmann::json::parse(text.begin(), text.end(), callback);
  } catch (const DuplicateKey& d) {
    throw IoError(file, what + " has a duplicate key " + quoteName(d.key));
  } catch (const TooDeep&) {
    throw IoError(file, what + " nests more than " + std::to_string(kMaxDepth) + " levels deep");
  } catch (const nlohmann::json::exception& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " tag; keep its position and reason.
    std::string reason = e.what();
    if (const auto tag = reason.find("] ");
        reason.rfind("[json.exception", 0) == 0 && tag != std::string::npos)
      reason.erase(0, tag + 2);
    throw IoError(file, what + " is not valid JSON: " + escapeControls(reason));
  }
}

std::string quoteName(std::string_view name) {
  return "'" + escapeControls(name) + "'";
}

} // namespace mg::io
