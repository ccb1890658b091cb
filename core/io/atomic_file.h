#pragma once
// Writes a file so that the destination either holds the complete new content or is untouched:
// the data goes to a temporary file in the same folder, which commit() flushes (fsync) and renames
// over the destination. Destroying an uncommitted AtomicFile removes the temporary file; one a killed process
// left is removed by the next AtomicFile of the same destination (io/stale_temporaries.h).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace mg::io {

class AtomicFile {
public:
  explicit AtomicFile(std::string destination); // throws IoError when the temporary cannot be created
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Claims `bytes` of disk for the file before it is written (its size stays as written), so a disk that
  // cannot hold the result fails now, with a clear error, rather than after the work; a file system that
  // cannot reserve is left to fail at write(). Throws IoError when the space is not there.
  void reserve(std::uint64_t bytes);
  void write(const void* data, std::size_t size); // throws IoError (disk full, ...)
  void commit();                                  // flush, fsync, rename; throws IoError
  const std::string& destination() const { return destination_; }
  const std::string& temporaryPath() const { return temporary_; }

private:
  std::string destination_;
  std::string temporary_;
  int fd_ = -1;
  bool committed_ = false;
  static constexpr std::uint64_t kWritebackChunk = 32 << 20;
  std::uint64_t written_ = 0, flushedUpTo_ = 0; // bytes written; bytes whose writeback was started
};

// Writes a whole small file (JSON, config) atomically.
void writeFileAtomically(const std::string& path, const std::string& content);

} // namespace mg::io
