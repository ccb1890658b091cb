#include "mainwindow/run_controller.h"

#include <QLabel>

#include "editor/graph_scene.h"
#include "editor/node_badge.h"
#include "graph/topological_order.h"
#include "i18n/core_text.h"
#include "session/document_signals.h"
#include "session/project_session.h"
#include "util/log.h"

namespace mg::ui {

namespace {

using State = engine::NodeState;

QString text(const std::string& s) {
  return QString::fromStdString(s);
}

} // namespace

NodeBadge badgeFor(const engine::NodeStatus& status) {
  NodeBadge badge;
  badge.progress = status.progress;
  badge.message = text(status.message);
  switch (status.state) {
  case State::Pending: badge.state = NodeBadge::State::Pending; break;
  case State::Running: badge.state = NodeBadge::State::Running; break;
  case State::Cached: badge.state = NodeBadge::State::Cached; break;
  case State::Done: badge.state = NodeBadge::State::Done; break;
  case State::Failed: badge.state = NodeBadge::State::Failed; break;
  case State::Cancelled: badge.state = NodeBadge::State::Cancelled; break;
  }
  if (badge.message.isEmpty() && !status.facts.empty()) {
    QStringList lines;
    for (const auto& fact : status.facts)
      lines << text(fact);
    for (const auto& warning : status.warnings)
      lines << QObject::tr("warning: %1").arg(text(warning));
    badge.message = lines.join(QLatin1Char('\n'));
  }
  return badge;
}

RunController::RunController(ProjectSession* session, GraphScene* scene, QLabel* stateLabel, QObject* parent)
    : QObject(parent), session_(session), scene_(scene), stateLabel_(stateLabel),
      engine_(new EngineBridge({}, this)) {
  connect(engine_, &EngineBridge::nodeStatusChanged, this, &RunController::onNodeStatus);
  connect(engine_, &EngineBridge::finished, this, &RunController::onFinished);
  auto* changes = session_->documentSignals();
  connect(changes, &DocumentSignals::paramWasChanged, this, &RunController::markStale);
  connect(changes, &DocumentSignals::edgeWasAdded, this, &RunController::markStale);
  connect(changes, &DocumentSignals::edgeWasRemoved, this, &RunController::markStale);
  connect(changes, &DocumentSignals::inputWeightWasChanged, this, &RunController::markStale);
  connect(changes, &DocumentSignals::documentWasReset, this, [this] {
    resultKeys_.clear();
    shown_.clear();
  });
}

void RunController::runAll() {
  start({});
}

void RunController::runSelected() {
  const auto selected = scene_->selectedNodes();
  if (selected.empty()) {
    Q_EMIT statusMessage(tr("Select the nodes to run first"));
    return;
  }
  start(selected);
}

void RunController::start(const std::vector<graph::NodeId>& targets) {
  if (engine_->isRunning()) return;
  const auto& document = session_->document();
  if (targets.empty() && graph::sinkNodes(document).empty()) {
    Q_EMIT statusMessage(tr("Nothing to run: add an Export (or another sink) node"));
    return;
  }
  scene_->clearBadges();
  shown_.clear();
  try {
    resultKeys_ = graph::cacheKeys(document, targets.empty() ? graph::sinkNodes(document) : targets);
  } catch (const std::exception&) {
    resultKeys_.clear(); // a cycle: the engine reports it on the nodes
  }
  engine_->run(document, targets);
  stateLabel_->setText(tr("Engine running"));
  Q_EMIT runningChanged(true);
}

void RunController::cancel() {
  if (!engine_->isRunning()) return;
  engine_->cancel();
  stateLabel_->setText(tr("Engine cancelling…"));
}

void RunController::clearCache() {
  engine_->clearCache();
  Q_EMIT statusMessage(tr("Cached results cleared: the next run runs every node"));
}

void RunController::onNodeStatus(quint64 node, const engine::NodeStatus& status) {
  if (!session_->document().contains(node)) return; // deleted while the engine ran
  shown_[node] = status.state;
  scene_->setBadge(node, badgeFor(status));
  if (status.state == State::Running && !status.scatters.empty())
    Q_EMIT partialResults(status.scatters, status.matrices);
  if (status.state == State::Running && status.progress >= 0) {
    stateLabel_->setText(
        tr("Running '%1' %2%").arg(nodeTitle(session_->document(), node)).arg(int(status.progress * 100)));
  }
  const auto log = mg::log::get("ui");
  const auto& title = session_->document().at(node).title;
  if (status.state == State::Done) {
    for (const auto& fact : status.facts)
      log->info("{}: {}", title, fact);
  } else if (status.state == State::Failed) {
    log->error("{}: {}", title, status.message);
  }
}

void RunController::onFinished(const engine::RunSummary& summary) {
  int done = 0, cached = 0, failed = 0;
  for (const auto& [id, status] : summary.nodes) {
    done += status.state == State::Done;
    cached += status.state == State::Cached;
    failed += status.state == State::Failed;
  }
  QString state;
  if (!summary.failure.empty()) {
    state = tr("Run failed: %1").arg(text(summary.failure));
    mg::log::get("ui")->error("run failed: {}", summary.failure);
    // The nodes it left unfinished were not reported by their events: show them as the summary has them.
    for (const auto& [id, status] : summary.nodes) {
      if (!session_->document().contains(id) || shown_[id] == status.state) continue;
      shown_[id] = status.state;
      scene_->setBadge(id, badgeFor(status));
    }
  } else if (summary.cancelled) {
    state = tr("Run cancelled");
  } else if (failed > 0) {
    state = tr("Run failed: %n node(s) failed", nullptr, failed);
  } else {
    state = tr("Run finished: %1 ran, %2 cached").arg(done).arg(cached);
  }
  stateLabel_->setText(state);
  markStale(); // edits made while it ran
  Q_EMIT runningChanged(false);
  Q_EMIT runFinished(summary);
}

void RunController::markStale() {
  if (resultKeys_.empty()) return;
  std::map<graph::NodeId, graph::CacheKey> now;
  try {
    now = graph::cacheKeys(session_->document());
  } catch (const std::exception&) {
    return;
  }
  for (const auto& [id, state] : shown_) {
    if (state != State::Done && state != State::Cached) continue;
    const auto before = resultKeys_.find(id);
    const auto after = now.find(id);
    if (before == resultKeys_.end() || after == now.end() || before->second != after->second) {
      NodeBadge badge;
      badge.state = NodeBadge::State::Stale;
      badge.message = tr("Out of date: an edit changed this node or its inputs. Run to update.");
      scene_->setBadge(id, badge);
      shown_[id] = State::Pending; // shown as stale; not marked again
    }
  }
}

} // namespace mg::ui
