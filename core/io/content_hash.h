#pragma once
// A fingerprint of a model's content: XXH3-128 over every tensor's name, dtype, shape and bytes in
// name order. It does not depend on how the tensors are laid out in files (sharding, padding,
// metadata), so the same weights give the same hash whatever folder they sit in. Recorded in the
// provenance of every merge; not a cryptographic hash.
#include "io/tensor_source.h"

#include <string>

namespace mg::io {

// 32 lowercase hex digits. Reads every tensor once (one at a time).
std::string contentHash(const TensorSource& source);

} // namespace mg::io
