#pragma once
// Cooperative cancellation: the engine checks the token between tensors.
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>

namespace mg::engine {

// what() is "cancelled", or what the cancelled work kept ("cancelled after 40 steps; the best checkpoint
// ...").
struct Cancelled : std::runtime_error {
  explicit Cancelled(const std::string& what = "cancelled") : std::runtime_error(what) {}
};

class CancelToken {
public:
  void cancel() { flag_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return flag_.load(std::memory_order_relaxed); }
  void throwIfCancelled() const {
    if (cancelled()) throw Cancelled();
  }

private:
  std::atomic<bool> flag_{false};
};

} // namespace mg::engine
