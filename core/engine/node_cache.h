#pragma once
// The executor's cache of node outputs and the scratch folders they point to, bounded by a size on disk.
//
// Disk, not memory, is what grows: an entry's values are mostly lazy (a merged model is a recipe over
// memory-mapped files), while a node that makes files (an extracted adapter) leaves them in its scratch
// folder. So the limit is in bytes of scratch on disk; beyond it the least recently used entries are
// evicted and their folders deleted. Entries the current (or, between runs, the last) run used are never
// evicted, so a run never loses an input it relies on and the results on screen keep their files; a run
// larger than the limit is kept whole until the next run ends.
//
// Two executors (two Merganser windows, a GUI and `merganser-cli run`) may share one scratch root: each owns
// a sub-folder <root>/<owner>/ announced by <root>/<owner>.lock, which it holds locked (flock) while alive.
// On start an executor removes the sub-folders whose lock nobody holds (their process is gone) and anything
// else in the root that no live owner announces; it never touches a live owner's folder. Its own sub-folder
// is removed when it is destroyed.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "engine/node_value.h"
#include "graph/cache_key.h"

namespace mg::engine {

constexpr std::uint64_t kDefaultCacheLimitBytes = std::uint64_t(2) << 30; // 2 GiB

class NodeCache {
public:
  NodeCache(std::string scratchRoot, std::uint64_t limitBytes);
  ~NodeCache(); // deletes this cache's sub-folder and releases its lock
  NodeCache(const NodeCache&) = delete;
  NodeCache& operator=(const NodeCache&) = delete;

  // The scratch folder of an entry (created by the runner that needs it).
  std::string folderFor(graph::CacheKey key) const;
  // This cache's own sub-folder of the scratch root.
  const std::string& ownFolder() const { return ownFolder_; }

  // The outputs cached under `key` and still on disk (a file they point to may have been deleted since:
  // then the entry is dropped); marks the entry used by the current run.
  std::optional<NodeOutputs> find(graph::CacheKey key);
  // Keeps `outputs` under `key`, counts its scratch folder's size, and evicts what the limit asks.
  void store(graph::CacheKey key, const NodeOutputs& outputs);

  // A run's span: entries it uses are protected from eviction; when it ends, scratch folders no entry
  // points to (a failed or cancelled node's) are deleted and the limit is applied.
  void beginRun();
  void endRun();

  void setLimit(std::uint64_t bytes); // evicts at once what no longer fits
  std::uint64_t limit() const;
  std::uint64_t bytesOnDisk() const; // of every entry's scratch folder
  std::size_t size() const;
  void clear(); // every entry and its folder

private:
  struct Entry {
    NodeOutputs outputs;
    std::uint64_t bytes = 0;
    std::uint64_t lastUse = 0;
  };
  void evictLocked();
  void eraseLocked(std::map<graph::CacheKey, Entry>::iterator it);
  void removeUnreferencedFoldersLocked();

  std::string root_, owner_, ownFolder_;
  int lockFd_ = -1;
  mutable std::mutex mutex_;
  std::map<graph::CacheKey, Entry> entries_;
  std::set<graph::CacheKey> inUse_; // used by the current run (or the last, until the next begins)
  std::uint64_t limit_, bytes_ = 0, clock_ = 0;
};

// A run's span over a cache: beginRun() when made, endRun() when it goes out of scope (however the run ends).
class CacheRun {
public:
  explicit CacheRun(NodeCache& cache) : cache_(cache) { cache_.beginRun(); }
  ~CacheRun() { cache_.endRun(); }
  CacheRun(const CacheRun&) = delete;
  CacheRun& operator=(const CacheRun&) = delete;

private:
  NodeCache& cache_;
};

// Deletes what dead owners left in a scratch root (see NodeCache); never throws. Returns the entries removed.
std::size_t removeOrphanedScratch(const std::string& scratchRoot);

} // namespace mg::engine
