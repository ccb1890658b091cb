#pragma once
// Hands calls from any thread to the thread a QObject lives in, in the order they were posted.
//
// Why not QMetaObject::invokeMethod with a lambda: the lambda's captures are written on the posting thread
// and read on the receiving one, and the only thing ordering the two is the mutex of Qt's event queue.
// Debian's Qt is not built with ThreadSanitizer, so TSan cannot see that mutex and reports every such
// hand-over as a race, which would bury real ones. Here the calls travel through a std::mutex that TSan sees;
// the event Qt posts carries nothing of ours (it names a method), so the hand-over is both correct and
// checkable.
#include <QObject>

#include <deque>
#include <functional>
#include <mutex>

namespace mg::ui {

class Mailbox final : public QObject {
  Q_OBJECT
public:
  // Lives in `owner`'s thread (and moves with it) and dies with it; calls not yet run then never run.
  explicit Mailbox(QObject* owner);
  // Under the lock, so that TSan sees the posting threads' last push ordered before the queue is freed
  // (they have ended, or been joined through QThread::wait, whose futex it cannot see).
  ~Mailbox() override;

  // From any thread: `call` runs later on the owner's thread, after every call posted before it.
  void post(std::function<void()> call);

private:
  // On the owner's thread: runs the oldest call. One event per call (not one per batch), so that a call
  // that opens a nested event loop (a message box) does not hold back the calls posted after it.
  Q_INVOKABLE void deliverOne();

  std::mutex mutex_;
  std::deque<std::function<void()>> calls_; // guarded by mutex_
};

} // namespace mg::ui
