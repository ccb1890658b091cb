#pragma once
// The git filter driver: "clean" turns a checkpoint into its manifest as git stores it (its tensors into the
// object store), "smudge" rebuilds the checkpoint from a manifest, byte for byte. Anything that is not theirs
// to convert (a manifest given to clean, a plain file given to smudge) passes through unchanged, so a
// repository with files committed before the filter was installed keeps working.
#include <cstdio>
#include <optional>
#include <string>

#include "theta/manifest.h"
#include "theta/object_store.h"

namespace mg::theta {

// `path`: the file's name in the repository (for messages). `previous`: its manifest in the version before
// (the index's), whose tensors may be the bases of sparse objects.
void cleanFilter(std::FILE* in, std::FILE* out, ObjectStore& store, const std::string& path,
                 const std::optional<Manifest>& previous);
// Throws IoError "PATH: tensor NAME: …" when an object is missing or corrupt.
void smudgeFilter(std::FILE* in, std::FILE* out, const ObjectStore& store, const std::string& path);

// The manifest of a checkpoint file on disk (stores its tensors), as clean makes it.
Manifest storeCheckpoint(const std::string& file, ObjectStore& store,
                         const std::optional<Manifest>& previous);
// The previous version's manifest of `path` from git's index, if it has one that is a manifest.
std::optional<Manifest> indexedManifest(const std::string& path);

} // namespace mg::theta
