#pragma once
// A fingerprint of a model's content: XXH3-128 over every tensor's name, dtype, shape and bytes in
// name order. It does not depend on how the tensors are laid out in files (sharding, padding,
// metadata), so the same weights give the same hash whatever folder they sit in. Recorded in the
// provenance of every merge; not a cryptographic hash.
#include "io/tensor_source.h"

#include <cstdint>
#include <string>

namespace mg::io {

// 32 lowercase hex digits. Reads every tensor once (one at a time).
std::string contentHash(const TensorSource& source);

// A 128-bit hash (XXH3-128's high and low halves) as 32 lowercase hex digits, as every hash here is written.
std::string hex128(std::uint64_t high, std::uint64_t low);

} // namespace mg::io
