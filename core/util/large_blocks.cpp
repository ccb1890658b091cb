#include "util/large_blocks.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#include <sys/mman.h>

namespace mg::util {
namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kHugePage = std::size_t(2) << 20;

std::size_t roundUp(std::size_t n, std::size_t to) {
  return (n + to - 1) / to * to;
}

// The size a request is served with: whole pages. Not whole huge pages: a tensor of 3 MiB (a batch of
// activations) would then hold 4 MiB resident; the tail beyond the last whole huge page is small pages.
std::size_t blockSize(std::size_t bytes) {
  return roundUp(std::max<std::size_t>(bytes, 1), kPage);
}

// Maps `size` bytes; blocks of 2 MiB and more start on a huge page boundary so the kernel can back their
// whole 2 MiB spans with huge pages (madvise mode, the common THP default, only does so when asked).
// nullptr on failure.
void* mapBlock(std::size_t size) {
  const bool huge = size >= kHugePage;
  const std::size_t span = huge ? size + kHugePage : size;
  void* base = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return nullptr;
  if (!huge) return base;
  auto* b = static_cast<char*>(base);
  char* aligned = reinterpret_cast<char*>(roundUp(reinterpret_cast<std::uintptr_t>(b), kHugePage));
  if (aligned > b) ::munmap(b, static_cast<std::size_t>(aligned - b));
  if (aligned + size < b + span)
    ::munmap(aligned + size, static_cast<std::size_t>(b + span - (aligned + size)));
  ::madvise(aligned, size, MADV_HUGEPAGE); // advice only: without THP the block still works
  return aligned;
}

struct State {
  std::mutex mutex;
  std::unordered_map<void*, std::size_t> live; // block -> its size
  std::multimap<std::size_t, void*> cached;    // size -> block
  int scopes = 0;
  LargeBlockStats stats;
};

State& state() {
  static auto* s = new State; // never destroyed: tensors freed during static destruction still release
  return *s;
}

// Removes cached blocks, largest first, until `keep` bytes or fewer stay cached; returns them for unmapping
// outside the lock.
std::vector<std::pair<void*, std::size_t>> evictTo(State& s, std::uint64_t keep) {
  std::vector<std::pair<void*, std::size_t>> victims;
  while (s.stats.cachedBytes > keep && !s.cached.empty()) {
    auto last = std::prev(s.cached.end());
    victims.emplace_back(last->second, last->first);
    s.stats.cachedBytes -= last->first;
    s.cached.erase(last);
  }
  return victims;
}

void unmapAll(const std::vector<std::pair<void*, std::size_t>>& blocks) {
  for (const auto& [block, size] : blocks)
    ::munmap(block, size);
}

} // namespace

void* allocateLarge(std::size_t bytes) {
  const std::size_t size = blockSize(bytes);
  State& s = state();
  std::vector<std::pair<void*, std::size_t>> victims;
  {
    std::lock_guard lock(s.mutex);
    // A cached block of this size, or slightly larger (an eighth at most, so reuse never wastes much).
    const auto it = s.cached.lower_bound(size);
    if (it != s.cached.end() && it->first <= size + size / 8) {
      void* block = it->second;
      s.stats.cachedBytes -= it->first;
      s.stats.liveBytes += it->first;
      s.stats.peakBytes = std::max(s.stats.peakBytes, s.stats.liveBytes);
      s.live.emplace(block, it->first);
      s.cached.erase(it);
      ++s.stats.reused;
      return block;
    }
    // Keep live + cached at or below the highest live total, the memory the process needs anyway.
    const std::uint64_t needed = s.stats.liveBytes + size;
    const std::uint64_t ceiling = std::max(s.stats.peakBytes, needed);
    victims = evictTo(s, ceiling - needed);
  }
  unmapAll(victims);
  void* block = mapBlock(size);
  if (!block) { // out of address space or memory: give back everything cached and try once more
    {
      std::lock_guard lock(s.mutex);
      victims = evictTo(s, 0);
    }
    unmapAll(victims);
    block = mapBlock(size);
    if (!block) throw std::bad_alloc();
  }
  std::lock_guard lock(s.mutex);
  s.live.emplace(block, size);
  s.stats.liveBytes += size;
  s.stats.peakBytes = std::max(s.stats.peakBytes, s.stats.liveBytes);
  ++s.stats.mapped;
  return block;
}

bool releaseLarge(void* block) noexcept {
  if (!block) return false;
  State& s = state();
  std::size_t size = 0;
  {
    std::lock_guard lock(s.mutex);
    const auto it = s.live.find(block);
    if (it == s.live.end()) return false;
    size = it->second;
    s.live.erase(it);
    s.stats.liveBytes -= size;
    if (s.scopes > 0) {
      s.cached.emplace(size, block);
      s.stats.cachedBytes += size;
      return true;
    }
  }
  ::munmap(block, size);
  return true;
}

LargeBlockReuse::LargeBlockReuse() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  ++s.scopes;
}

LargeBlockReuse::~LargeBlockReuse() {
  State& s = state();
  std::vector<std::pair<void*, std::size_t>> victims;
  {
    std::lock_guard lock(s.mutex);
    if (--s.scopes == 0) victims = evictTo(s, 0);
  }
  unmapAll(victims);
}

LargeBlockStats largeBlockStats() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.stats;
}

} // namespace mg::util
