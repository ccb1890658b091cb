#pragma once
// What a killed writer leaves beside its destination, and its removal. AtomicFile writes ".NAME.tmp-*" and
// AtomicFolder stages into ".NAME.tmp-*" (and may leave the previous folder as ".NAME.old-*"); while a
// writer lives it holds a lock on its temporary (an open-file-description fcntl lock, which leaves flock(2)
// free for HDF5), so one that nobody holds belongs to a writer that died (SIGKILL, power loss). Every new
// write to a destination first removes those of that destination, so a killed export leaves nothing behind
// once the same export has run again.
#include <string>

namespace mg::io {

// Takes the writer's lock on `fd`, an open temporary file or staging folder; false if it cannot (then the
// temporary may be taken for a dead writer's: callers treat that as an error).
bool lockAsWriter(int fd);

// Removes the temporaries of `destination` (a file or folder path) whose writer is gone; keeps those a live
// writer holds. Best effort: what cannot be removed stays.
void removeStaleTemporaries(const std::string& destination);

} // namespace mg::io
