#include "bridge/mailbox.h"

#include <QMetaObject>

namespace mg::ui {

Mailbox::Mailbox(QObject* owner) : QObject(owner) {}

Mailbox::~Mailbox() {
  std::lock_guard lock(mutex_);
  calls_.clear();
}

void Mailbox::post(std::function<void()> call) {
  std::lock_guard lock(mutex_); // held while posting too: the destructor, taking it, then follows the post
  calls_.push_back(std::move(call));
  // By name, so that the event Qt allocates here holds no memory written by our (instrumented) code.
  QMetaObject::invokeMethod(this, "deliverOne", Qt::QueuedConnection);
}

void Mailbox::deliverOne() {
  std::function<void()> call;
  {
    std::lock_guard lock(mutex_);
    if (calls_.empty()) return;
    call = std::move(calls_.front());
    calls_.pop_front();
  }
  call();
}

} // namespace mg::ui
