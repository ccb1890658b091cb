#pragma once
// Connects the engine to what the user sees: node badges (running with progress, done, cached, failed with
// the message, and stale once an edit makes a result out of date), the status bar's engine state, and the
// log lines of what each node did.
#include <QObject>
#include <QString>

#include <map>
#include <vector>

#include "bridge/engine_bridge.h"
#include "graph/cache_key.h"

class QLabel;

namespace mg::ui {

class GraphScene;
class ProjectSession;
struct NodeBadge;

class RunController : public QObject {
  Q_OBJECT
public:
  RunController(ProjectSession* session, GraphScene* scene, QLabel* stateLabel, QObject* parent = nullptr);

  EngineBridge* engine() const { return engine_; }
  bool isRunning() const { return engine_->isRunning(); }

public Q_SLOTS:
  void runAll();
  void runSelected();
  void cancel();
  void clearCache();

Q_SIGNALS:
  void runningChanged(bool running);
  void statusMessage(const QString& text);
  void runFinished(const mg::engine::RunSummary& summary);
  // A running node published partial charts (a Search's candidates so far).
  void partialResults(const std::vector<mg::engine::ScatterValue>& scatters,
                      const std::vector<mg::engine::MatrixValue>& matrices);

private:
  void start(const std::vector<graph::NodeId>& targets);
  void onNodeStatus(quint64 node, const engine::NodeStatus& status);
  void onFinished(const engine::RunSummary& summary);
  // After an edit: results whose key changed are stale.
  void markStale();

  ProjectSession* session_;
  GraphScene* scene_;
  QLabel* stateLabel_;
  EngineBridge* engine_;
  std::map<graph::NodeId, graph::CacheKey> resultKeys_; // keys of the results on screen (unsalted)
  std::map<graph::NodeId, engine::NodeState> shown_;
};

// The badge a node status shows.
NodeBadge badgeFor(const engine::NodeStatus& status);

} // namespace mg::ui
