#pragma once
// The name of a stored tensor: XXH3-128 of its dtype, shape and bytes, as 32 lowercase hex digits. The same
// tensor in any file, any version, any model of a repository has the same name, so it is stored once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mg::theta {

// `dtype`: the safetensors name ("F32", ...), or "raw" for a whole file stored as it is (shape: its size).
std::string objectId(const std::string& dtype, const std::vector<std::int64_t>& shape, const std::byte* bytes,
                     std::size_t size);

bool isObjectId(const std::string& text); // 32 lowercase hex digits

} // namespace mg::theta
