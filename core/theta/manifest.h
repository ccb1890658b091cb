#pragma once
// What git stores for a checkpoint under the theta filter: a small JSON text naming each tensor's object,
// with the file's safetensors header kept verbatim, so that the file rebuilt from it is byte-identical.
// A file that is not a well-formed safetensors file with contiguous data is stored whole as one "raw" object.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "theta/object_store.h"

namespace mg::theta {

struct ManifestEntry {
  std::string name;
  StoredTensor tensor;
};

struct Manifest {
  std::uint64_t size = 0;             // of the file it stands for
  std::string header;                 // the safetensors JSON header, byte for byte (empty for raw)
  std::vector<ManifestEntry> tensors; // in the order of their bytes in the file; one "raw" entry for raw
  bool raw() const { return header.empty(); }
  const StoredTensor* find(const std::string& name) const;
};

// Whether `text` starts as a manifest does (cheap; the filters pass anything else through).
bool looksLikeManifest(const std::string& text);
// The same for the first bytes of the file at `path` (false when it cannot be read).
bool fileLooksLikeManifest(const std::string& path);
std::string manifestToText(const Manifest& manifest);
// Throws IoError naming `file` when `text` is not a valid manifest.
Manifest manifestFromText(const std::string& text, const std::string& file);

} // namespace mg::theta
