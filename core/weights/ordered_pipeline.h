#pragma once
// Computes items on a pool of worker threads, a bounded number ahead of the consumer, and hands
// them over in order. This is how an export keeps every core busy while writing tensors in file
// order with memory bounded by (window × one tensor's working set).
#include "weights/cancel.h"

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace mg::engine {

template <typename Result> class OrderedPipeline {
public:
  using Compute = std::function<Result(std::size_t index)>;

  OrderedPipeline(std::size_t count, int workers, std::size_t window, Compute compute,
                  const CancelToken* cancel = nullptr)
      : count_(count), window_(window < 1 ? 1 : window), compute_(std::move(compute)), cancel_(cancel) {
    for (int i = 0; i < (workers < 1 ? 1 : workers); ++i)
      threads_.emplace_back([this] { work(); });
  }
  ~OrderedPipeline() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& t : threads_)
      t.join();
  }
  OrderedPipeline(const OrderedPipeline&) = delete;
  OrderedPipeline& operator=(const OrderedPipeline&) = delete;

  // The next item in order; rethrows the first error of any worker.
  Result next() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return error_ || done_.count(consumed_); });
    if (error_) std::rethrow_exception(error_);
    Result r = std::move(done_.at(consumed_));
    done_.erase(consumed_);
    ++consumed_;
    lock.unlock();
    changed_.notify_all(); // the window moved
    return r;
  }

private:
  void work() {
    for (;;) {
      std::size_t index;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          return stopping_ || error_ || (claimed_ < count_ && claimed_ < consumed_ + window_) ||
                 claimed_ >= count_;
        });
        if (stopping_ || error_ || claimed_ >= count_) return;
        index = claimed_++;
      }
      try {
        if (cancel_) cancel_->throwIfCancelled();
        Result r = compute_(index);
        std::lock_guard lock(mutex_);
        done_.emplace(index, std::move(r));
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
      changed_.notify_all();
    }
  }

  std::size_t count_, window_;
  Compute compute_;
  const CancelToken* cancel_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t claimed_ = 0, consumed_ = 0;
  std::map<std::size_t, Result> done_;
  std::exception_ptr error_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace mg::engine
