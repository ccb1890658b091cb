#pragma once
// Folders are built under a hidden staging name (io/atomic_folder.h); an error about a file inside one
// would name ".out.tmp-123/model-00002-of-00004.safetensors", a path the user never asked for and that is
// gone once the export has failed. While an AtomicFolder lives its staging path is registered here, and
// IoError names files as they would be called in place ("out/model-00002-of-00004.safetensors").
// Process-wide (exports write from worker threads), guarded by a mutex.
#include <string>

namespace mg::io {

void registerStagingPath(const std::string& staging, const std::string& destination);
void unregisterStagingPath(const std::string& staging);

// `text` with every registered staging path replaced by its destination.
std::string withDestinationPaths(std::string text);

} // namespace mg::io
