#include "cli/terminal_progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "cli/text_format.h"

namespace mg::cli {

TerminalProgress::TerminalProgress(bool enabled) : enabled_(enabled), tty_(::isatty(STDERR_FILENO) == 1) {}

void TerminalProgress::update(const engine::Progress& p) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_); // callbacks arrive from worker threads
  const double f = p.fraction();
  const std::string rate = humanBytes(static_cast<std::uint64_t>(p.bytesPerSecond)) + "/s";
  const std::string eta = p.etaSeconds < 0 ? "?" : std::to_string(static_cast<long>(p.etaSeconds + 0.5)) + " s";
  if (tty_) {
    constexpr int width = 30;
    const int filled = static_cast<int>(f * width);
    std::fprintf(stderr, "\r[%s%s] %3d%%  %llu/%llu tensors  %s  ETA %s   ",
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), static_cast<int>(f * 100),
                 static_cast<unsigned long long>(p.tensorsDone), static_cast<unsigned long long>(p.tensorsTotal),
                 rate.c_str(), eta.c_str());
    drawn_ = true;
  } else {
    const int decile = static_cast<int>(f * 10);
    if (decile == lastDecile_) return;
    lastDecile_ = decile;
    std::fprintf(stderr, "progress %3d%%  %llu/%llu tensors  %s  ETA %s\n", decile * 10,
                 static_cast<unsigned long long>(p.tensorsDone), static_cast<unsigned long long>(p.tensorsTotal),
                 rate.c_str(), eta.c_str());
  }
  std::fflush(stderr);
}

void TerminalProgress::finish() {
  std::lock_guard lock(mutex_);
  if (drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

} // namespace mg::cli
