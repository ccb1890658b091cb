#include "util/serial_worker.h"

#include <pthread.h>

#include <exception>

#include "util/log.h"

namespace mg::util {

SerialWorker::SerialWorker(std::string name) : name_(std::move(name)), thread_([this] { work(); }) {}

SerialWorker::~SerialWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void SerialWorker::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  changed_.notify_all();
}

void SerialWorker::work() {
  pthread_setname_np(pthread_self(), name_.substr(0, 15).c_str());
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return; // stopping, and everything given has run
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& error) {
      log::get("util")->error("{}: a background job failed: {}", name_, error.what());
    } catch (...) {
      log::get("util")->error("{}: a background job failed (not a std::exception)", name_);
    }
  }
}

} // namespace mg::util
