#pragma once
// An spdlog sink that hands messages to the GUI thread. Loggers call it from any thread (the engine logs
// from its workers); it queues the messages and posts one delivery at a time to the receiver's thread, so a
// burst of messages costs one event, and the GUI thread never waits on a logging thread.
#include <QDateTime>
#include <QObject>
#include <QString>

#include <spdlog/sinks/base_sink.h>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "bridge/mailbox.h"

namespace mg::ui {

struct LogEntry {
  QDateTime time;
  spdlog::level::level_enum level = spdlog::level::info;
  QString area; // the logger's name: "io", "engine", "ui", ...
  QString message;
};

class LogSink final : public spdlog::sinks::base_sink<std::mutex>,
                      public std::enable_shared_from_this<LogSink> {
public:
  using Deliver = std::function<void(std::vector<LogEntry>)>;

  // Messages logged from now on are passed to `deliver` on `receiver`'s thread, in order, in batches. Called
  // on that thread.
  void attach(QObject* receiver, Deliver deliver);
  // After it returns, `deliver` is never called again (sinks stay registered with the loggers for good).
  void detach();

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override {}

private:
  void deliverPending(); // on the receiver's thread

  Mailbox* toReceiver_ = nullptr; // a child of the receiver; guarded by mutex_, as everything below
  Deliver deliver_;
  std::vector<LogEntry> pending_;
  bool deliveryPosted_ = false;
};

} // namespace mg::ui
