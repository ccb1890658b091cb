// The strict JSON reader every JSON format goes through (duplicate keys, invalid UTF-8, depth).
#include "fuzz_support.h"
#include <nlohmann/json.hpp>

#include "io/strict_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  mg::fuzz::expectCleanFailure("input.json",
                               [&] { mg::io::parseStrictJson(text, "input.json", "a test file"); });
  return 0;
}
