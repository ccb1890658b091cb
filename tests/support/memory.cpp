#include "support/memory.h"

#include <fstream>
#include <string>

namespace mg::test {
namespace {
std::uint64_t statusField(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key + ":", 0) == 0) return std::stoull(line.substr(key.size() + 1)) * 1024;
  return 0;
}
} // namespace

std::uint64_t peakRssBytes() { return statusField("VmHWM"); }
std::uint64_t currentRssBytes() { return statusField("VmRSS"); }

bool resetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

} // namespace mg::test
