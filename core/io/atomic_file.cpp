#include "io/atomic_file.h"

#include "io/io_error.h"
#include "io/stale_temporaries.h"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mg::io {
namespace {

std::string errnoText(int err) {
  return std::system_category().message(err);
}

std::string byteCount(std::uint64_t bytes) {
  char text[32];
  if (bytes >= (1ull << 30))
    std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / (1ull << 30));
  else if (bytes >= (1ull << 20))
    std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / (1ull << 20));
  else
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  return text;
}

// The folder part of a path ("." for a bare name) and the file name.
std::pair<std::string, std::string> splitPath(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// The process umask without the race of umask(0)/umask(old) (other threads may create files).
mode_t currentUmask() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
  return 022;
}

// mkstemp creates files 0600; the result should look like any file the user creates, or keep
// the mode of the file it replaces.
mode_t finalMode(const std::string& destination) {
  struct stat st {};
  if (::stat(destination.c_str(), &st) == 0 && S_ISREG(st.st_mode)) return st.st_mode & 07777;
  return 0666 & ~currentUmask();
}

void fsyncFolder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return; // the rename happened; not being able to sync the folder is not a failure
  while (::fsync(fd) != 0 && errno == EINTR) {
  }
  ::close(fd);
}

} // namespace

AtomicFile::AtomicFile(std::string destination) : destination_(std::move(destination)) {
  const auto [folder, name] = splitPath(destination_);
  if (name.empty() || name == "." || name == "..") throw IoError(destination_, "not a file name");
  // Found before the work rather than when the finished file cannot be renamed over it.
  struct stat existing {};
  if (::stat(destination_.c_str(), &existing) == 0 && S_ISDIR(existing.st_mode))
    throw IoError(destination_, "is a folder, not a file");
  removeStaleTemporaries(destination_); // what a killed earlier write of this file left
  std::string pattern = folder + "/." + name + ".tmp-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  fd_ = ::mkostemp(buffer.data(), O_CLOEXEC);
  if (fd_ < 0) {
    const int err = errno;
    throw IoError(destination_, "cannot create a temporary file in " + folder + ": " + errnoText(err));
  }
  temporary_ = buffer.data();
  if (!lockAsWriter(fd_)) {
    const int err = errno;
    throw IoError(destination_, "cannot lock the temporary file " + temporary_ + ": " + errnoText(err));
  }
  ::fchmod(fd_, finalMode(destination_));
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temporary_.empty()) ::unlink(temporary_.c_str());
}

void AtomicFile::reserve(std::uint64_t bytes) {
  if (fd_ < 0 || bytes == 0) return;
  if (::fallocate(fd_, FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(bytes)) == 0) return;
  const int err = errno;
  if (err == ENOSPC || err == EDQUOT || err == EFBIG)
    throw IoError(destination_,
                  "not enough free space: the file needs " + byteCount(bytes) + " (" + errnoText(err) + ")");
  // EOPNOTSUPP and the like: no reservation; a full disk shows at write().
}

void AtomicFile::write(const void* data, std::size_t size) {
  if (fd_ < 0) throw IoError(destination_, "write after commit");
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      throw IoError(destination_, "cannot write: " + errnoText(err));
    }
    if (n == 0) throw IoError(destination_, "cannot write: no progress (disk full?)");
    p += n;
    size -= static_cast<std::size_t>(n);
    written_ += static_cast<std::uint64_t>(n);
  }
  // Start writing back what is complete, without waiting for it: the disk works while the producer
  // computes the next tensors, and commit()'s fsync only waits for the tail instead of the whole file.
  if (written_ - flushedUpTo_ >= kWritebackChunk) {
    ::sync_file_range(fd_, static_cast<off_t>(flushedUpTo_), static_cast<off_t>(written_ - flushedUpTo_),
                      SYNC_FILE_RANGE_WRITE);
    flushedUpTo_ = written_;
  }
}

void AtomicFile::commit() {
  if (fd_ < 0) throw IoError(destination_, "committed twice");
  // fsync before rename: otherwise a crash can leave the new name pointing at an empty file.
  while (::fsync(fd_) != 0) {
    if (errno == EINTR) continue;
    const int err = errno;
    throw IoError(destination_, "cannot flush to disk: " + errnoText(err));
  }
  // Renamed while still locked: an unlocked temporary is a dead writer's to whoever sweeps them.
  if (::rename(temporary_.c_str(), destination_.c_str()) != 0) {
    const int err = errno;
    throw IoError(destination_, "cannot put the finished file in place: " + errnoText(err));
  }
  committed_ = true;
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 && errno != EINTR) {
    const int err = errno;
    throw IoError(destination_, "cannot close: " + errnoText(err));
  }
  fsyncFolder(splitPath(destination_).first); // makes the rename itself durable
}

void writeFileAtomically(const std::string& path, const std::string& content) {
  AtomicFile file(path);
  file.write(content.data(), content.size());
  file.commit();
}

} // namespace mg::io
