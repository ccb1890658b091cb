#include "theta/object_id.h"

#include <xxhash.h>

#include <new>

#include "io/content_hash.h"
#include "io/tensor.h"

namespace mg::theta {

ObjectHasher::ObjectHasher(const std::string& dtype, const std::vector<std::int64_t>& shape)
    : state_(XXH3_createState()) {
  if (!state_) throw std::bad_alloc();
  auto* state = static_cast<XXH3_state_t*>(state_);
  XXH3_128bits_reset(state);
  // Length-prefixed, so that no (dtype, shape) pair runs into the bytes of another.
  const std::string header = dtype + '\0' + io::shapeToString(shape);
  const std::uint64_t length = header.size();
  XXH3_128bits_update(state, &length, sizeof length);
  XXH3_128bits_update(state, header.data(), header.size());
}

ObjectHasher::~ObjectHasher() {
  XXH3_freeState(static_cast<XXH3_state_t*>(state_));
}

void ObjectHasher::update(const std::byte* bytes, std::size_t size) {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), bytes, size);
}

std::string ObjectHasher::id() const {
  const XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_));
  return io::hex128(h.high64, h.low64);
}

std::string objectId(const std::string& dtype, const std::vector<std::int64_t>& shape, const std::byte* bytes,
                     std::size_t size) {
  ObjectHasher hasher(dtype, shape);
  hasher.update(bytes, size);
  return hasher.id();
}

bool isObjectId(const std::string& text) {
  if (text.size() != 32) return false;
  for (const char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

} // namespace mg::theta
