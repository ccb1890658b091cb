#pragma once
// Progress of a streaming job (export, evaluation): counts, throughput and time left.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace mg::engine {

struct Progress {
  std::uint64_t tensorsDone = 0, tensorsTotal = 0;
  std::uint64_t bytesDone = 0, bytesTotal = 0; // output bytes
  double seconds = 0;                          // since the start
  double bytesPerSecond = 0;
  double etaSeconds = -1; // -1 while unknown
  std::string current;    // the tensor just finished
  double fraction() const { return bytesTotal ? double(bytesDone) / double(bytesTotal) : 0.0; }
};

using ProgressCallback = std::function<void(const Progress&)>;

// Thread-safe accumulator that turns "one more tensor done" into Progress reports. Workers call tensorDone
// from several threads; the callback is called by one of them at a time, each time with the newest counts,
// so a callback may write its caller's state (a node's status, a terminal line) without locking and never
// sees progress go back.
class ProgressMeter {
public:
  ProgressMeter(std::uint64_t tensorsTotal, std::uint64_t bytesTotal, ProgressCallback callback);
  void tensorDone(const std::string& name, std::uint64_t bytes);
  Progress snapshot() const;

private:
  mutable std::mutex mutex_;
  std::mutex reporting_; // held while the callback runs, apart from mutex_ so counting never waits for it
  Progress progress_;
  std::chrono::steady_clock::time_point start_;
  ProgressCallback callback_;
};

} // namespace mg::engine
