// Exact top-k by magnitude, usually in two passes over the data: a histogram of the magnitudes' top bits
// finds the bin that holds the k-th largest; one keep pass then decides every entry outside that bin and
// lists the few inside it, and only that list is ordered. (Three histogram passes plus a keep pass read
// the tensor four times; TIES' time is mostly these reads.) When one bin holds too many entries to list
// (many equal magnitudes, such as the zeros of a sparse task vector), finer histograms narrow it first.
#include "ops/magnitude_selection.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <vector>

namespace mg::ops {

namespace {

// Lists that are written before they are read, so not zero-filled. From malloc, not util/large_blocks:
// their sizes differ from the tensors', and mapping one would evict a cached tensor block (the cache keeps
// the process within its peak), so the next tensor read paid fresh page faults; glibc keeps freed blocks
// of this size for the next call.
template <typename T> using Scratch = std::unique_ptr<T[]>;
template <typename T> Scratch<T> scratch(std::size_t count) {
  return Scratch<T>(new T[count]);
}

// |x| as an unsigned key: non-negative floats order as their bit patterns, and clearing the sign bit is |x|
// (NaN keys lie above +inf, so NaN counts as the largest magnitude and selection stays well defined).
std::uint32_t magnitudeKey(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits & 0x7fffffffu;
}

// The key's 31 bits as three digits, most significant first: the first (11 bits: the exponent and 3
// mantissa bits) puts an eighth of an octave in a bin, a few percent of a typical tensor's entries.
struct Digit {
  int shift;
  std::uint32_t mask; // of the digit's value after the shift
};
constexpr std::array<Digit, 3> kDigits = {{{20, 0x7ffu}, {10, 0x3ffu}, {0, 0x3ffu}}};

// The entries whose key starts with a given prefix: (key & mask) == value.
struct Prefix {
  std::uint32_t mask = 0;
  std::uint32_t value = 0;
};

// Counts of `digit` among the entries with `prefix`. Four interleaved histograms, so that runs of entries in
// the same bin (the common case: most entries share a few bins) do not wait on each other's increments;
// the prefix test adds 0 or 1 rather than branching.
std::vector<std::int64_t> digitCounts(const float* x, std::int64_t n, Digit digit, Prefix prefix) {
  const std::size_t bins = digit.mask + 1;
  std::vector<std::array<std::uint32_t, 4>> partial(bins, {0, 0, 0, 0});
  std::vector<std::int64_t> counts(bins, 0);
  const auto count = [&](float value, int lane) {
    const std::uint32_t key = magnitudeKey(value);
    partial[(key >> digit.shift) & digit.mask][lane] += (key & prefix.mask) == prefix.value;
  };
  constexpr std::int64_t kChunk = std::int64_t{1} << 30; // flushed before a uint32 count could overflow
  for (std::int64_t start = 0; start < n; start += kChunk) {
    const auto end = std::min(n, start + kChunk);
    auto i = start;
    for (; i + 4 <= end; i += 4) {
      count(x[i], 0);
      count(x[i + 1], 1);
      count(x[i + 2], 2);
      count(x[i + 3], 3);
    }
    for (; i < end; ++i)
      count(x[i], 0);
    for (std::size_t b = 0; b < bins; ++b) {
      for (auto& lane : partial[b]) {
        counts[b] += lane;
        lane = 0;
      }
    }
  }
  return counts;
}

// Among the listed entries (ascending indices), keeps the `keep` of largest key, lower index first among
// equal keys, and zeroes the rest.
void keepLargestListed(float* x, const std::int64_t* listed, std::size_t count, std::int64_t keep) {
  struct Entry {
    std::uint32_t key;
    std::int64_t index;
  };
  const auto entries = scratch<Entry>(count);
  for (std::size_t c = 0; c < count; ++c)
    entries[c] = {magnitudeKey(x[listed[c]]), listed[c]};
  const auto before = [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key > b.key : a.index < b.index;
  };
  Entry* end = entries.get() + count;
  std::nth_element(entries.get(), entries.get() + keep, end, before);
  for (auto* e = entries.get() + keep; e != end; ++e)
    x[e->index] = 0.0f;
}

} // namespace

void keepLargestMagnitudes(float* x, std::int64_t n, std::int64_t k) {
  // Narrow the prefix of the k-th largest key digit by digit until its entries are few enough to list.
  const std::int64_t listLimit = std::max<std::int64_t>(n / 16, 1 << 16);
  Prefix prefix;
  std::int64_t above = 0; // entries with a key above every key with the prefix: all kept
  std::int64_t inPrefix = n;
  for (const Digit digit : kDigits) {
    const auto counts = digitCounts(x, n, digit, prefix);
    std::uint32_t bin = digit.mask;
    while (above + counts[bin] < k) {
      above += counts[bin];
      --bin;
    }
    prefix.mask |= digit.mask << digit.shift;
    prefix.value |= bin << digit.shift;
    inPrefix = counts[bin];
    if (inPrefix <= listLimit) break;
  }
  const std::int64_t keepInPrefix = k - above;
  if (inPrefix > listLimit) {
    // The whole key is the prefix: its entries are equal in magnitude, and the lowest indices are kept.
    std::int64_t tiesLeft = keepInPrefix;
    for (std::int64_t i = 0; i < n; ++i) {
      const std::uint32_t key = magnitudeKey(x[i]);
      if (key == prefix.value) {
        x[i] = tiesLeft > 0 ? x[i] : 0.0f;
        tiesLeft -= tiesLeft > 0;
      } else {
        x[i] = key > prefix.value ? x[i] : 0.0f;
      }
    }
    return;
  }
  const auto listed = scratch<std::int64_t>(static_cast<std::size_t>(inPrefix) + 1); // +1: the spare write
  std::size_t count = 0;
  constexpr std::int64_t kBlock = 4096; // entries still in L1 when the listing loop reads them again
  for (std::int64_t first = 0; first < n; first += kBlock) {
    const auto end = std::min(n, first + kBlock);
    // Keep or zero by the key's prefix as integer masks: a loop the compiler vectorises, where a select on
    // floats became a conditional store that mispredicts on half the entries.
    for (auto i = first; i < end; ++i) {
      std::uint32_t bits;
      std::memcpy(&bits, &x[i], sizeof bits);
      bits &= 0u - static_cast<std::uint32_t>(((bits & 0x7fffffffu) & prefix.mask) >= prefix.value);
      std::memcpy(&x[i], &bits, sizeof bits);
    }
    for (auto i = first; i < end; ++i) { // the entries with the prefix itself, listed without a branch
      listed[count] = i;
      count += (magnitudeKey(x[i]) & prefix.mask) == prefix.value;
    }
  }
  if (keepInPrefix < static_cast<std::int64_t>(count))
    keepLargestListed(x, listed.get(), count, keepInPrefix);
}

} // namespace mg::ops
