#include "io/atomic_folder.h"

#include <filesystem>
#include <random>
#include <system_error>

#include "io/io_error.h"
#include "io/stale_temporaries.h"
#include "io/staging_paths.h"

#include <cerrno>
#include <cstdio>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace mg::io {
namespace {

std::string siblingName(const fs::path& dest, const char* tag) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  const fs::path parent = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  return (parent / ("." + dest.filename().string() + tag + std::to_string(rng() % 1000000000))).string();
}

} // namespace

AtomicFolder::AtomicFolder(std::string destination) : destination_(std::move(destination)) {
  fs::path dest(destination_);
  if (dest.filename().empty()) dest = dest.parent_path(); // "out/" names the folder "out"
  destination_ = dest.string();
  std::error_code ec;
  if (fs::exists(dest, ec) && !fs::is_directory(dest, ec))
    throw IoError(destination_, "exists and is not a folder");
  const fs::path parent = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  fs::create_directories(parent, ec);
  removeStaleTemporaries(destination_); // what a killed earlier write of this folder left
  staging_ = siblingName(dest, ".tmp-");
  if (!fs::create_directory(staging_, ec) || ec)
    throw IoError(destination_, "cannot create a staging folder beside it: " + ec.message());
  registerStagingPath(staging_, destination_);
  lock_ = ::open(staging_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_ < 0 || !lockAsWriter(lock_)) {
    const int err = errno;
    unregisterStagingPath(staging_);
    fs::remove_all(staging_, ec);
    throw IoError(destination_,
                  "cannot hold the folder being built beside it: " + std::system_category().message(err));
  }
}

AtomicFolder::~AtomicFolder() {
  unregisterStagingPath(staging_);
  std::error_code ec;
  if (!committed_) fs::remove_all(staging_, ec);
  if (lock_ >= 0) ::close(lock_);
}

void AtomicFolder::copyFile(const std::string& source, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path target = fs::path(staging_) / name;
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) throw IoError(source, "cannot be copied: no such file");
  if (!fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec) || ec)
    throw IoError(target.string(), "cannot be copied from " + source + ": " + ec.message());
}

void AtomicFolder::commit() {
  std::error_code ec;
  // The staging folder must still be the one created and locked: a writer that makes its folder
  // (create_directories) would otherwise recreate one deleted meanwhile, with its parents, and a half-built
  // folder would be moved into place.
  struct stat held {
  }, now{};
  if (::fstat(lock_, &held) != 0 || ::stat(staging_.c_str(), &now) != 0 || held.st_ino != now.st_ino ||
      held.st_dev != now.st_dev)
    throw IoError(destination_, "the folder being built beside it was removed: No such file or directory");
  // Swapped in one step where the file system can (Linux renameat2): the destination holds the old folder
  // or the new one at every instant, and the old one is left under the staging name, locked, to delete.
  if (fs::exists(destination_, ec) &&
      ::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, destination_.c_str(), RENAME_EXCHANGE) == 0) {
    committed_ = true;
    fs::remove_all(staging_, ec);
    return;
  }
  std::string old;
  if (fs::exists(destination_, ec)) {
    old = siblingName(destination_, ".old-");
    fs::rename(destination_, old, ec);
    if (ec) throw IoError(destination_, "cannot move the previous folder aside: " + ec.message());
  }
  fs::rename(staging_, destination_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, destination_, ec); // put the previous content back
    throw IoError(destination_, "cannot move the new folder into place: " + ec.message());
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

} // namespace mg::io
