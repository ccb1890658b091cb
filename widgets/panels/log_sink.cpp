#include "panels/log_sink.h"

#include <chrono>

namespace mg::ui {

namespace {

QString fromView(spdlog::string_view_t view) {
  return QString::fromUtf8(view.data(), qsizetype(view.size()));
}

} // namespace

void LogSink::attach(QObject* receiver, Deliver deliver) {
  std::lock_guard lock(mutex_);
  toReceiver_ = new Mailbox(receiver);
  deliver_ = std::move(deliver);
  deliveryPosted_ = false; // a delivery posted to an earlier receiver may have died with it
}

void LogSink::detach() {
  std::lock_guard lock(mutex_);
  toReceiver_ = nullptr; // the receiver deletes it
  deliver_ = nullptr;
  pending_.clear();
}

void LogSink::sink_it_(const spdlog::details::log_msg& msg) { // mutex_ is held by base_sink::log
  if (!toReceiver_) return;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
  pending_.push_back(
      {QDateTime::fromMSecsSinceEpoch(ms), msg.level, fromView(msg.logger_name), fromView(msg.payload)});
  if (deliveryPosted_) return;
  deliveryPosted_ = true;
  // The receiver is alive here: detach() (called before it is destroyed) waits for mutex_. Should it be
  // destroyed before the event runs, Qt drops the event with it.
  toReceiver_->post([self = shared_from_this()] { self->deliverPending(); });
}

void LogSink::deliverPending() {
  std::vector<LogEntry> batch;
  Deliver deliver;
  {
    std::lock_guard lock(mutex_);
    deliveryPosted_ = false;
    batch.swap(pending_);
    deliver = deliver_;
  }
  if (deliver && !batch.empty()) deliver(std::move(batch));
}

} // namespace mg::ui
