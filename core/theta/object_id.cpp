#include "theta/object_id.h"

#include <xxhash.h>

#include <cstdio>
#include <memory>

#include "io/tensor.h"

namespace mg::theta {

std::string objectId(const std::string& dtype, const std::vector<std::int64_t>& shape, const std::byte* bytes,
                     std::size_t size) {
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(), &XXH3_freeState);
  XXH3_128bits_reset(state.get());
  // Length-prefixed, so that no (dtype, shape) pair runs into the bytes of another.
  const std::string header = dtype + '\0' + io::shapeToString(shape);
  const std::uint64_t length = header.size();
  XXH3_128bits_update(state.get(), &length, sizeof length);
  XXH3_128bits_update(state.get(), header.data(), header.size());
  XXH3_128bits_update(state.get(), bytes, size);
  const XXH128_hash_t h = XXH3_128bits_digest(state.get());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return hex;
}

bool isObjectId(const std::string& text) {
  if (text.size() != 32) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

} // namespace mg::theta
