#pragma once
// Memory for tensor data: blocks of at least kLargeBlockBytes, mapped on transparent huge pages and, while
// a LargeBlockReuse scope is alive, kept after release and handed out again for the next request of the
// same size.
//
// Why: a merge allocates and frees the same few tensor sizes over and over (one per input, the result, the
// output bytes). glibc maps every block above 32 MiB afresh and unmaps it on free, so each tensor paid a
// page fault per 4 KiB page plus the kernel zeroing it; on a virtual machine that was most of a merge's
// time. Huge pages cut the faults 512-fold; reuse removes them and the zeroing.
//
// Memory stays bounded: cached blocks are evicted before a fresh block is mapped whenever keeping them
// would take the total (live + cached) above the highest live total seen so far, so the process never
// holds more than it would without the cache. The last scope to end unmaps every cached block.
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace mg::util {

// Requests below this size are left to malloc.
constexpr std::size_t kLargeBlockBytes = std::size_t(1) << 20;

// At least `bytes` bytes, 64-byte aligned (2 MiB for blocks of 2 MiB and more), contents undefined.
// Throws std::bad_alloc.
void* allocateLarge(std::size_t bytes);
// Gives back a block from allocateLarge; false (and nothing done) for any other pointer, nullptr included.
bool releaseLarge(void* block) noexcept;

// While at least one scope is alive (any thread), released blocks are cached for reuse.
class LargeBlockReuse {
public:
  LargeBlockReuse();
  ~LargeBlockReuse();
  LargeBlockReuse(const LargeBlockReuse&) = delete;
  LargeBlockReuse& operator=(const LargeBlockReuse&) = delete;
};

// A standard allocator on the same blocks, for containers of tensor bytes (io::TensorBytes): large
// requests come from allocateLarge, small ones from operator new. Elements a container creates without a
// value are default-initialized: TensorBytes(n) and resize(n) leave bytes undefined (every caller fills
// them next, from a file or a conversion), where std::vector would zero them first — a memset of each 64 MiB
// tensor that was 14% of a merge's time. A value given explicitly (TensorBytes(n, byte)) is still written.
template <typename T> struct LargeBlockAllocator {
  using value_type = T;
  LargeBlockAllocator() = default;
  template <typename U> LargeBlockAllocator(const LargeBlockAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    return static_cast<T*>(bytes >= kLargeBlockBytes ? allocateLarge(bytes) : ::operator new(bytes));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) >= kLargeBlockBytes)
      releaseLarge(p);
    else
      ::operator delete(p);
  }
  template <typename U> void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args> void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <typename U> bool operator==(const LargeBlockAllocator<U>&) const noexcept { return true; }
  template <typename U> bool operator!=(const LargeBlockAllocator<U>&) const noexcept { return false; }
};

struct LargeBlockStats {
  std::uint64_t liveBytes = 0;   // handed out, not released
  std::uint64_t cachedBytes = 0; // released, kept for reuse
  std::uint64_t peakBytes = 0;   // highest liveBytes so far: liveBytes + cachedBytes never exceeds it
  std::uint64_t mapped = 0;      // blocks mapped afresh so far
  std::uint64_t reused = 0;      // requests served from the cache so far
};
LargeBlockStats largeBlockStats();

} // namespace mg::util
