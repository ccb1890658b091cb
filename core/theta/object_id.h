#pragma once
// The name of a stored tensor: XXH3-128 of its dtype, shape and bytes, as 32 lowercase hex digits. The same
// tensor in any file, any version, any model of a repository has the same name, so it is stored once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mg::theta {

// The id of bytes given in pieces. `dtype`: the safetensors name ("F32", ...), or "raw" for a whole file
// stored as it is (shape: its size).
class ObjectHasher {
public:
  ObjectHasher(const std::string& dtype, const std::vector<std::int64_t>& shape);
  ~ObjectHasher();
  ObjectHasher(const ObjectHasher&) = delete;
  ObjectHasher& operator=(const ObjectHasher&) = delete;
  void update(const std::byte* bytes, std::size_t size);
  std::string id() const;

private:
  void* state_; // XXH3_state_t, kept out of this header
};

std::string objectId(const std::string& dtype, const std::vector<std::int64_t>& shape, const std::byte* bytes,
                     std::size_t size);

bool isObjectId(const std::string& text); // 32 lowercase hex digits

} // namespace mg::theta
