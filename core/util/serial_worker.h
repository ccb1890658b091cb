#pragma once
// One background thread that runs the jobs given to it one after another, in the order given. What the GUI
// uses for its file work (results files) instead of QThreadPool: jobs are handed over under a std::mutex,
// which ThreadSanitizer sees (Debian's Qt is not instrumented, so a QThreadPool hand-over looks like a race).
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace mg::util {

class SerialWorker {
public:
  // `name`: the thread's name in a debugger or `top -H` (at most 15 characters are kept).
  explicit SerialWorker(std::string name);
  // Runs the jobs already given (a save under way or waiting is finished, never cut), then ends the thread.
  ~SerialWorker();
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  // Queues `job` after the jobs before it. A job that throws is logged (area "util") and the next one runs.
  void post(std::function<void()> job);

private:
  void work();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> jobs_; // guarded by mutex_, as is stopping_
  bool stopping_ = false;
  std::string name_;
  std::thread thread_; // last: starts once the members above exist
};

} // namespace mg::util
