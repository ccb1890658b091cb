#pragma once
// Progress on stderr: a redrawn bar on a terminal, a plain line per 10 % otherwise (logs, CI).
#include "weights/progress.h"

#include <mutex>

namespace mg::cli {

class TerminalProgress {
public:
  explicit TerminalProgress(bool enabled);
  void update(const engine::Progress& p);
  void finish();

private:
  bool enabled_, tty_;
  int lastDecile_ = -1;
  bool drawn_ = false;
  std::mutex mutex_;
};

} // namespace mg::cli
