#pragma once
// Number formatting for terminal output.
#include <cstdint>
#include <string>

namespace mg::cli {

// 1234567 -> "1,234,567"
std::string groupDigits(std::uint64_t n);
// 1536 -> "1.5 KiB", 5e9 -> "4.66 GiB"
std::string humanBytes(std::uint64_t n);

} // namespace mg::cli
