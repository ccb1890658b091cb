#include "bridge/engine_bridge.h"

#include "bridge/background_priority.h"

namespace mg::ui {

EngineBridge::EngineBridge(const QString& scratchRoot, QObject* parent)
    : QObject(parent), toGui_(new Mailbox(this)),
      executor_(std::make_unique<engine::GraphExecutor>(
          scratchRoot.isEmpty() ? engine::GraphExecutor::defaultScratchRoot() : scratchRoot.toStdString())) {
  qRegisterMetaType<mg::engine::NodeStatus>();
  qRegisterMetaType<mg::engine::RunSummary>();
}

EngineBridge::~EngineBridge() {
  cancel();
  join();
}

void EngineBridge::join() {
  if (worker_.joinable()) worker_.join();
}

bool EngineBridge::run(const graph::Document& document, const std::vector<graph::NodeId>& targets) {
  if (running_) return false;
  join(); // the previous worker has finished (running_ is false) but may not be joined yet
  running_ = true;
  cancel_ = std::make_unique<engine::CancelToken>();
  Q_EMIT started();
  // The worker owns a copy: the user keeps editing the document while it runs. The summary carries it, so
  // that results are matched to the nodes that ran, not to the document as edited since.
  auto copy = std::make_shared<const graph::Document>(document);
  worker_ = std::thread([this, copy, targets, cancel = cancel_.get()]() {
    runInBackgroundPriority(); // the canvas keeps drawing smoothly while the engine works
    engine::RunEvents events;
    events.nodeChanged = [this](graph::NodeId id, const engine::NodeStatus& status) {
      toGui_->post([this, id, status] { Q_EMIT nodeStatusChanged(id, status); });
    };
    // run() never throws (failures are in the summary); this is the last line of defence of the worker
    // thread, where an escaping exception would end the program. A failure is never reported as a cancel.
    engine::RunSummary summary;
    try {
      summary = executor_->run(*copy, targets, events, *cancel);
    } catch (const std::exception& error) {
      summary.failure = error.what();
    } catch (...) {
      summary.failure = "unknown error (not a std::exception)";
    }
    summary.document = copy;
    toGui_->post([this, summary] {
      running_ = false;
      Q_EMIT finished(summary);
    });
  });
  return true;
}

void EngineBridge::cancel() {
  if (running_ && cancel_) cancel_->cancel();
}

void EngineBridge::clearCache() {
  executor_->clearCache();
}

void EngineBridge::setCacheLimit(quint64 bytes) {
  executor_->setCacheLimit(bytes);
}

quint64 EngineBridge::cacheLimit() const {
  return executor_->cacheLimit();
}

} // namespace mg::ui
