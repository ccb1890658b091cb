#include "io/content_hash.h"

#include "util/large_blocks.h"

#include <xxhash.h>

#include <cstdio>
#include <memory>

namespace mg::io {

std::string contentHash(const TensorSource& source) {
  const util::LargeBlockReuse reuse; // one tensor's memory serves the next
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(), &XXH3_freeState);
  XXH3_128bits_reset(state.get());
  for (const TensorInfo& info : source.tensors()) {
    // Length-prefixed fields keep distinct (name, shape) sequences from hashing alike.
    const std::string header =
        info.name + '\0' + std::string(dtypeName(info.dtype)) + '\0' + shapeToString(info.shape);
    const std::uint64_t length = header.size();
    XXH3_128bits_update(state.get(), &length, sizeof length);
    XXH3_128bits_update(state.get(), header.data(), header.size());
    const TensorData data = source.load(info.name);
    XXH3_128bits_update(state.get(), data.bytes.data(), data.bytes.size());
  }
  const XXH128_hash_t h = XXH3_128bits_digest(state.get());
  return hex128(h.high64, h.low64);
}

std::string hex128(std::uint64_t high, std::uint64_t low) {
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(high),
                static_cast<unsigned long long>(low));
  return hex;
}

} // namespace mg::io
