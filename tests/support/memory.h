#pragma once
// Peak resident memory of this process, from /proc (Linux).
#include <cstdint>

namespace mg::test {

// VmHWM in bytes.
std::uint64_t peakRssBytes();
// Current VmRSS in bytes.
std::uint64_t currentRssBytes();
// Resets VmHWM to the current RSS (writes 5 to /proc/self/clear_refs); false when not permitted.
bool resetPeakRss();

} // namespace mg::test
