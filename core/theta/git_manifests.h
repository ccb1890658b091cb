#pragma once
// Manifests as git holds them: which paths are checkpoints the theta attributes cover, and many manifest
// blobs read at once (one `git cat-file --batch`, not a process per file) — for the clean filter's bases of
// a new file and for what a push or fetch carries.
#include <string>
#include <vector>

#include "theta/manifest.h"

namespace mg::theta {

bool isCheckpointPath(const std::string& path); // *.safetensors, as `theta install` writes the attributes

// The manifests among `blobs` (git object ids), in their order; other blobs, missing ones and broken
// manifests are skipped. `scratch`: a folder for the list git reads. Throws IoError when git fails.
std::vector<Manifest> manifestsOfBlobs(const std::vector<std::string>& blobs, const std::string& scratch);

} // namespace mg::theta
