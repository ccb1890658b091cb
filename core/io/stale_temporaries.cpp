#include "io/stale_temporaries.h"

#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace mg::io {

namespace {

// Open-file-description locks (fcntl F_OFD_*): held per open file like flock(2), but independent of
// flock(2), which HDF5 takes on the files it writes (the temporary of a checkpoint among them).
struct flock wholeFile(short type) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET; // l_start = l_len = 0: the whole file
  return lock;
}

// Whether some open file (a live writer's) holds a lock on the file `fd` is open on.
bool isLocked(int fd) {
  struct flock query = wholeFile(F_WRLCK);
  if (::fcntl(fd, F_OFD_GETLK, &query) != 0) return true; // unknown: keep it
  return query.l_type != F_UNLCK;
}

} // namespace

bool lockAsWriter(int fd) {
  // A write lock needs a descriptor open for writing; a folder opens read-only and takes a read lock,
  // which conflicts just as well with isLocked()'s query.
  const int mode = ::fcntl(fd, F_GETFL);
  struct flock lock = wholeFile((mode & O_ACCMODE) == O_RDONLY ? F_RDLCK : F_WRLCK);
  while (::fcntl(fd, F_OFD_SETLK, &lock) != 0)
    if (errno != EINTR) return false;
  return true;
}

void removeStaleTemporaries(const std::string& destination) {
  fs::path dest(destination);
  if (dest.filename().empty()) dest = dest.parent_path(); // "out/" is the folder "out"
  const fs::path parent = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  const std::string name = "." + dest.filename().string();
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    if (entry.rfind(name + ".tmp-", 0) != 0 && entry.rfind(name + ".old-", 0) != 0) continue;
    // O_NOFOLLOW: a link by that name is not ours to follow or remove through.
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    // Locked: a live writer's. Free: its writer died. (Writers lock their temporary as they create it under
    // a fresh name, so no writer starts on one found here.)
    if (!isLocked(fd)) {
      std::error_code removeError;
      fs::remove_all(it->path(), removeError);
    }
    ::close(fd);
  }
}

} // namespace mg::io
