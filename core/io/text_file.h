#pragma once
// Reading the small text files that sit beside weights (config.json, adapter_config.json).
#include <cstdint>
#include <string>

namespace mg::io {

// The whole file; throws IoError(path, ...) when it is missing, unreadable, not a regular file or
// larger than maxBytes (a config is kilobytes: the limit stops a wrong or hostile file early).
std::string readTextFile(const std::string& path, std::uintmax_t maxBytes = 64u << 20);

} // namespace mg::io
