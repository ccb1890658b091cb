#pragma once
// Runs projects on a worker thread with core's GraphExecutor and reports back on the GUI thread: the GUI
// never runs LibTorch work or model I/O itself. The executor (and so its cache) lives as long as the bridge,
// so a second run re-runs only what an edit changed. One run at a time; cancel() stops at the next tensor.
#include <QObject>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "bridge/mailbox.h"
#include "engine/graph_executor.h"

namespace mg::ui {

class EngineBridge : public QObject {
  Q_OBJECT
public:
  // `scratchRoot`: where nodes that make files keep them (see GraphExecutor); empty for the default.
  explicit EngineBridge(const QString& scratchRoot = {}, QObject* parent = nullptr);
  ~EngineBridge() override; // cancels a run and waits for it

  bool isRunning() const { return running_; }
  // Starts running `targets` (none: every sink) of a copy of `document`; false when a run is in progress.
  bool run(const graph::Document& document, const std::vector<graph::NodeId>& targets = {});
  void cancel();
  // Forgets cached outputs (and deletes their files), so the next run runs everything.
  void clearCache();
  // Bytes of cached files on disk beyond which the oldest are deleted (GraphExecutor::setCacheLimit); applies
  // at once, also during a run (which keeps what it uses).
  void setCacheLimit(quint64 bytes);
  quint64 cacheLimit() const;

Q_SIGNALS:
  void started();
  // Every state change and progress step of a node, on the GUI thread.
  void nodeStatusChanged(quint64 node, const mg::engine::NodeStatus& status);
  // The run's summary; its `document` is the copy that ran.
  void finished(const mg::engine::RunSummary& summary);

private:
  void join();

  Mailbox* toGui_; // the worker's reports reach the GUI thread through it
  std::unique_ptr<engine::GraphExecutor> executor_;
  std::unique_ptr<engine::CancelToken> cancel_;
  std::thread worker_;
  std::atomic<bool> running_{false};
};

} // namespace mg::ui

Q_DECLARE_METATYPE(mg::engine::NodeStatus)
Q_DECLARE_METATYPE(mg::engine::RunSummary)
