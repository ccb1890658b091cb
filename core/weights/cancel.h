#pragma once
// Cooperative cancellation: the engine checks the token between tensors.
#include <atomic>
#include <memory>
#include <stdexcept>

namespace mg::engine {

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("cancelled") {}
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
