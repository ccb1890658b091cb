#pragma once
// The git filter driver: "clean" turns a checkpoint into its manifest as git stores it (its tensors into the
// object store), "smudge" rebuilds the checkpoint from a manifest, byte for byte. Anything that is not theirs
// to convert (a manifest given to clean, a plain file given to smudge) passes through unchanged, so a
// repository with files committed before the filter was installed keeps working.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "theta/manifest.h"
#include "theta/object_store.h"

namespace mg::theta {

// What a new version's tensors may be stored as updates of (sparse or low-rank objects): the file's own
// previous version, else — for a file new to the repository, such as another fine-tune of a base already
// committed — the tensors of the same name, dtype and shape in the repository's other checkpoints.
struct UpdateBases {
  std::optional<Manifest> previous;
  std::vector<Manifest> others;
  UpdateBases(std::optional<Manifest> previousVersion = std::nullopt, std::vector<Manifest> otherFiles = {})
      : previous(std::move(previousVersion)), others(std::move(otherFiles)) {}
  // Of the others' candidates, the one at the shortest chain (a base's tensor before a fine-tune's update
  // of it), the first in the index's order among equals.
  const StoredTensor* find(const std::string& name, const std::string& dtype,
                           const std::vector<std::int64_t>& shape, const ObjectStore& store) const;
};

// `path`: the file's name in the repository (for messages).
void cleanFilter(std::FILE* in, std::FILE* out, ObjectStore& store, const std::string& path,
                 const UpdateBases& bases);
// Objects missing here are fetched first from the repository's remote (theta/remote_objects.h), when it
// has one. Throws IoError "PATH: tensor NAME: …" when an object is missing or corrupt.
void smudgeFilter(std::FILE* in, std::FILE* out, ObjectStore& store, const std::string& path);

// The manifest of a checkpoint file on disk (stores its tensors), as clean makes it.
Manifest storeCheckpoint(const std::string& file, ObjectStore& store, const UpdateBases& bases);
// The previous version's manifest of `path` from git's index, if it has one that is a manifest.
std::optional<Manifest> indexedManifest(const std::string& path);
// The bases for a new version of `path`: its indexed manifest, else the index's other manifests of
// `.safetensors` files.
UpdateBases indexedUpdateBases(const std::string& path, const ObjectStore& store); // store: scratch room
// git's `theta.tolerance` (0 when unset). Throws IoError when it is not a number ≥ 0.
double configuredTolerance();

} // namespace mg::theta
