#include "engine/node_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <sstream>
#include <vector>

#include "util/log.h"

namespace fs = std::filesystem;

namespace mg::engine {

namespace {

constexpr const char* kLockSuffix = ".lock";

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Whether cached outputs are still there: what a sink wrote may have been deleted since.
bool stillOnDisk(const NodeOutputs& outputs) {
  for (const auto& value : outputs.values) {
    std::error_code ec;
    if (const auto* written = std::get_if<WrittenValue>(&value); written && !fs::exists(written->path, ec))
      return false;
    if (const auto* adapter = std::get_if<AdapterValue>(&value); adapter && !fs::exists(adapter->folder, ec))
      return false;
  }
  return true;
}

std::uint64_t folderBytes(const fs::path& folder) {
  std::error_code ec;
  std::uint64_t total = 0;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e;
    if (it->is_regular_file(e)) total += it->file_size(e);
  }
  return total;
}

// Opens and locks `path` without waiting: the descriptor, or -1 when another holder has it locked.
int tryLock(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string uniqueOwnerName() {
  std::random_device random;
  std::ostringstream name;
  name << ::getpid() << '-' << std::hex << random() << random();
  return name.str();
}

} // namespace

std::size_t removeOrphanedScratch(const std::string& scratchRoot) {
  std::size_t removed = 0;
  std::error_code ec;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(scratchRoot, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(it->path());
  // Locks nobody holds: their owner is gone, with its folder.
  for (const auto& entry : entries) {
    const std::string name = entry.filename().string();
    if (!endsWith(name, kLockSuffix)) continue;
    const int fd = tryLock(entry.string(), 0);
    if (fd < 0) continue; // alive (or unreadable: left alone)
    const fs::path owned =
        entry.parent_path() / name.substr(0, name.size() - std::string(kLockSuffix).size());
    std::error_code e;
    fs::remove_all(owned, e);
    fs::remove(entry, e);
    ::close(fd);
    ++removed;
  }
  // Anything no lock announces: a dead owner's leftovers, or the per-key folders of older versions.
  for (const auto& entry : entries) {
    const std::string name = entry.filename().string();
    std::error_code e;
    if (endsWith(name, kLockSuffix) || fs::exists(entry.string() + kLockSuffix, e)) continue;
    if (fs::remove_all(entry, e) > 0) ++removed;
  }
  return removed;
}

NodeCache::NodeCache(std::string scratchRoot, std::uint64_t limitBytes)
    : root_(std::move(scratchRoot)), limit_(limitBytes) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  // Announce the owner before its folder exists, so a cleaner never sees the folder without its lock. A
  // cleaner may take a new lock file for a dead one in the instant before it is locked and delete it: then
  // the file at the path is no longer the one locked, and another name is tried.
  for (int attempt = 0; attempt < 8 && lockFd_ < 0; ++attempt) {
    owner_ = uniqueOwnerName();
    const std::string lockPath = (fs::path(root_) / (owner_ + kLockSuffix)).string();
    const int fd = tryLock(lockPath, O_CREAT | O_EXCL);
    if (fd < 0) continue;
    struct stat locked {
    }, atPath{};
    if (::fstat(fd, &locked) == 0 && ::stat(lockPath.c_str(), &atPath) == 0 &&
        locked.st_ino == atPath.st_ino && locked.st_dev == atPath.st_dev) {
      lockFd_ = fd;
    } else {
      ::close(fd);
    }
  }
  ownFolder_ = (fs::path(root_) / owner_).string();
  if (lockFd_ < 0) {
    mg::log::get("engine")->warn("{}: cannot lock a scratch folder; files nodes make may fail", root_);
    return;
  }
  fs::create_directories(ownFolder_, ec);
  removeOrphanedScratch(root_);
}

NodeCache::~NodeCache() {
  std::error_code ec;
  fs::remove_all(ownFolder_, ec);
  if (lockFd_ >= 0) {
    fs::remove(fs::path(root_) / (owner_ + kLockSuffix), ec);
    ::close(lockFd_);
  }
}

std::string NodeCache::folderFor(graph::CacheKey key) const {
  return (fs::path(ownFolder_) / graph::cacheKeyText(key)).string();
}

std::optional<NodeOutputs> NodeCache::find(graph::CacheKey key) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (!stillOnDisk(it->second.outputs)) {
    eraseLocked(it);
    return std::nullopt;
  }
  it->second.lastUse = ++clock_;
  inUse_.insert(key);
  return it->second.outputs;
}

void NodeCache::store(graph::CacheKey key, const NodeOutputs& outputs) {
  std::lock_guard lock(mutex_);
  Entry& entry = entries_[key];
  bytes_ -= entry.bytes;
  entry.outputs = outputs;
  entry.bytes = folderBytes(folderFor(key));
  entry.lastUse = ++clock_;
  bytes_ += entry.bytes;
  inUse_.insert(key);
  evictLocked();
}

void NodeCache::beginRun() {
  std::lock_guard lock(mutex_);
  inUse_.clear();
}

void NodeCache::endRun() {
  std::lock_guard lock(mutex_);
  removeUnreferencedFoldersLocked();
  evictLocked();
}

void NodeCache::setLimit(std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  limit_ = bytes;
  evictLocked();
}

std::uint64_t NodeCache::limit() const {
  std::lock_guard lock(mutex_);
  return limit_;
}

std::uint64_t NodeCache::bytesOnDisk() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t NodeCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void NodeCache::clear() {
  std::lock_guard lock(mutex_);
  while (!entries_.empty())
    eraseLocked(entries_.begin());
  inUse_.clear();
}

void NodeCache::evictLocked() {
  while (bytes_ > limit_) {
    auto oldest = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.bytes == 0 || inUse_.count(it->first)) continue; // nothing to free, or protected
      if (oldest == entries_.end() || it->second.lastUse < oldest->second.lastUse) oldest = it;
    }
    if (oldest == entries_.end()) return; // what is left belongs to the current run
    eraseLocked(oldest);
  }
}

void NodeCache::eraseLocked(std::map<graph::CacheKey, Entry>::iterator it) {
  std::error_code ec;
  fs::remove_all(folderFor(it->first), ec);
  bytes_ -= it->second.bytes;
  entries_.erase(it);
}

void NodeCache::removeUnreferencedFoldersLocked() {
  std::error_code ec;
  std::vector<fs::path> unreferenced;
  for (fs::directory_iterator it(ownFolder_, ec), end; !ec && it != end; it.increment(ec)) {
    const bool referenced = [&] {
      for (const auto& [key, entry] : entries_)
        if (it->path().filename() == graph::cacheKeyText(key)) return true;
      return false;
    }();
    if (!referenced) unreferenced.push_back(it->path());
  }
  for (const auto& path : unreferenced)
    fs::remove_all(path, ec);
}

} // namespace mg::engine
