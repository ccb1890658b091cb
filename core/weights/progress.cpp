#include "weights/progress.h"

namespace mg::engine {

ProgressMeter::ProgressMeter(std::uint64_t tensorsTotal, std::uint64_t bytesTotal, ProgressCallback callback)
    : start_(std::chrono::steady_clock::now()), callback_(std::move(callback)) {
  progress_.tensorsTotal = tensorsTotal;
  progress_.bytesTotal = bytesTotal;
}

void ProgressMeter::tensorDone(const std::string& name, std::uint64_t bytes) {
  {
    std::lock_guard lock(mutex_);
    progress_.tensorsDone += 1;
    progress_.bytesDone += bytes;
    progress_.current = name;
    progress_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (progress_.seconds > 0) progress_.bytesPerSecond = double(progress_.bytesDone) / progress_.seconds;
    if (progress_.bytesPerSecond > 0)
      progress_.etaSeconds = double(progress_.bytesTotal - progress_.bytesDone) / progress_.bytesPerSecond;
  }
  if (!callback_) return;
  // Found by ThreadSanitizer: two export workers ran the export node's callback at once, both writing the
  // node's status message. Reports are serialised, each with the counts as they are when it starts.
  std::lock_guard reporting(reporting_);
  callback_(snapshot());
}

Progress ProgressMeter::snapshot() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

} // namespace mg::engine
