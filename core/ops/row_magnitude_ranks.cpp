// Per row: an LSD radix sort of (magnitude key, index) pairs on the key's 31 bits — stable, so equal
// magnitudes stay in index order — whose last pass writes valueOfRank[position] to the entry's own place
// instead of moving the pair once more. A 4096-entry row lives in L2, and nothing is allocated per row.
// (at::sort with stable=true plus an argsort of its order took ~30 s and ~1.5 GB for 32 tensors of 16M.)
#include "ops/row_magnitude_ranks.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace mg::ops {

namespace {

// Rows up to this length are sorted by comparison: clearing and summing the radix counts (4096 of them)
// would cost more than sorting so few entries.
constexpr std::int64_t kComparisonSortMaxLength = 128;
constexpr std::int64_t kEntriesPerTask = 1 << 16; // rows per parallel task: at least this many entries

// The key's 31 bits in three digits of 11, 10 and 10 bits, least significant first; one count array each.
constexpr int kPasses = 3;
constexpr int kDigitShift[kPasses] = {0, 11, 21};
constexpr std::uint32_t kDigitMask[kPasses] = {0x7ff, 0x3ff, 0x3ff};
constexpr int kCountsOffset[kPasses] = {0, 2048, 3072};
constexpr int kCountsSize = 4096;

// |x| as 31 bits that order as the magnitudes: a non-negative float orders as its bit pattern, and clearing
// the sign bit is |x| (so -0 equals +0). Every NaN maps to one key just above +inf, so NaNs rank last and
// among themselves in index order, as in torch's stable sort (their payload bits would order them otherwise).
std::uint32_t rankKeyOf(float value) {
  constexpr std::uint32_t kInfinity = 0x7f800000u;
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  bits &= 0x7fffffffu;
  return bits > kInfinity ? kInfinity + 1 : bits;
}

std::uint64_t pairOf(std::uint32_t key, std::int64_t index) {
  return (std::uint64_t{key} << 32) | static_cast<std::uint64_t>(index);
}

std::uint32_t keyOf(std::uint64_t pair) {
  return static_cast<std::uint32_t>(pair >> 32);
}

std::int64_t indexOf(std::uint64_t pair) {
  return static_cast<std::int64_t>(pair & 0xffffffffu);
}

std::uint32_t digitOf(std::uint32_t key, int pass) {
  return (key >> kDigitShift[pass]) & kDigitMask[pass];
}

// Ranks rows one after another in buffers allocated once per parallel task.
class RowRanker {
public:
  explicit RowRanker(std::int64_t length)
      : pairs_(new std::uint64_t[static_cast<std::size_t>(length)]),
        spare_(new std::uint64_t[static_cast<std::size_t>(length)]) {}

  // The row's n entries are x[k·stride]; writes out[k·stride].
  void rank(const float* x, float* out, std::int64_t stride, std::int64_t n, const float* valueOfRank) {
    if (n <= kComparisonSortMaxLength) {
      rankByComparison(x, out, stride, n, valueOfRank);
      return;
    }
    std::fill(counts_, counts_ + kCountsSize, 0u);
    std::uint32_t* low = counts_ + kCountsOffset[0];
    std::uint32_t* middle = counts_ + kCountsOffset[1];
    std::uint32_t* high = counts_ + kCountsOffset[2];
    for (std::int64_t i = 0; i < n; ++i) { // all three digits' counts in one read of the row
      const std::uint32_t key = rankKeyOf(x[i * stride]);
      ++low[digitOf(key, 0)];
      ++middle[digitOf(key, 1)];
      ++high[digitOf(key, 2)];
    }
    // A digit every entry shares would leave the order as it is (ties, zeros, a narrow range): skip its pass.
    int active[kPasses];
    int activeCount = 0;
    const std::uint32_t firstKey = rankKeyOf(x[0]);
    for (int pass = 0; pass < kPasses; ++pass) {
      std::uint32_t* counts = counts_ + kCountsOffset[pass];
      if (counts[digitOf(firstKey, pass)] == static_cast<std::uint32_t>(n)) continue;
      std::uint32_t position = 0; // counts -> where each digit's entries start
      for (std::uint32_t digit = 0; digit <= kDigitMask[pass]; ++digit)
        position += std::exchange(counts[digit], position);
      active[activeCount++] = pass;
    }
    if (activeCount == 0) { // all magnitudes equal: index order
      for (std::int64_t i = 0; i < n; ++i)
        out[i * stride] = valueOfRank[i];
      return;
    }

    // The first pass reads the row itself; the last writes the ranks' values.
    const int first = active[0];
    std::uint32_t* next = counts_ + kCountsOffset[first];
    if (activeCount == 1) {
      for (std::int64_t i = 0; i < n; ++i)
        out[i * stride] = valueOfRank[next[digitOf(rankKeyOf(x[i * stride]), first)]++];
      return;
    }
    std::uint64_t* from = pairs_.get();
    std::uint64_t* to = spare_.get();
    for (std::int64_t i = 0; i < n; ++i) {
      const std::uint32_t key = rankKeyOf(x[i * stride]);
      from[next[digitOf(key, first)]++] = pairOf(key, i);
    }
    for (int a = 1; a + 1 < activeCount; ++a) {
      const int pass = active[a];
      next = counts_ + kCountsOffset[pass];
      for (std::int64_t i = 0; i < n; ++i)
        to[next[digitOf(keyOf(from[i]), pass)]++] = from[i];
      std::swap(from, to);
    }
    const int last = active[activeCount - 1];
    next = counts_ + kCountsOffset[last];
    for (std::int64_t i = 0; i < n; ++i)
      out[indexOf(from[i]) * stride] = valueOfRank[next[digitOf(keyOf(from[i]), last)]++];
  }

private:
  // (key, index) pairs order as (magnitude, index): a plain sort of them is the stable order.
  void rankByComparison(const float* x, float* out, std::int64_t stride, std::int64_t n,
                        const float* valueOfRank) {
    std::uint64_t* pairs = pairs_.get();
    for (std::int64_t i = 0; i < n; ++i)
      pairs[i] = pairOf(rankKeyOf(x[i * stride]), i);
    std::sort(pairs, pairs + n);
    for (std::int64_t r = 0; r < n; ++r)
      out[indexOf(pairs[r]) * stride] = valueOfRank[r];
  }

  std::unique_ptr<std::uint64_t[]> pairs_, spare_; // not zero-filled: every pass writes before it reads
  std::uint32_t counts_[kCountsSize];
};

} // namespace

void mapMagnitudeRanks(const float* x, float* out, const RowLayout& layout, const float* valueOfRank) {
  const std::int64_t n = layout.length;
  if (n > std::int64_t{std::numeric_limits<std::uint32_t>::max()}) {
    throw std::invalid_argument("magnitude ranks: a row of " + std::to_string(n) +
                                " entries is longer than the 4294967295 supported");
  }
  const std::int64_t rows = layout.outer * layout.inner;
  if (n == 0 || rows == 0) return;
  const std::int64_t inner = layout.inner;
  at::parallel_for(0, rows, std::max<std::int64_t>(1, kEntriesPerTask / n),
                   [&](std::int64_t begin, std::int64_t end) {
                     RowRanker ranker(n);
                     for (std::int64_t row = begin; row < end; ++row) {
                       const std::int64_t start = (row / inner) * n * inner + row % inner;
                       ranker.rank(x + start, out + start, inner, n, valueOfRank);
                     }
                   });
}

} // namespace mg::ops
