#include "weights/progress.h"

namespace mg::engine {

ProgressMeter::ProgressMeter(std::uint64_t tensorsTotal, std::uint64_t bytesTotal, ProgressCallback callback)
    : start_(std::chrono::steady_clock::now()), callback_(std::move(callback)) {
  progress_.tensorsTotal = tensorsTotal;
  progress_.bytesTotal = bytesTotal;
}

void ProgressMeter::tensorDone(const std::string& name, std::uint64_t bytes) {
  Progress p;
  {
    std::lock_guard lock(mutex_);
    progress_.tensorsDone += 1;
    progress_.bytesDone += bytes;
    progress_.current = name;
    progress_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (progress_.seconds > 0) progress_.bytesPerSecond = double(progress_.bytesDone) / progress_.seconds;
    if (progress_.bytesPerSecond > 0)
      progress_.etaSeconds = double(progress_.bytesTotal - progress_.bytesDone) / progress_.bytesPerSecond;
    p = progress_;
  }
  if (callback_) callback_(p); // outside the lock: the callback may be slow (terminal, signal)
}

Progress ProgressMeter::snapshot() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

} // namespace mg::engine
