#include "engine/graph_executor.h"
#include "engine/finite_scores.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include "graph/topological_order.h"
#include "graph/validation.h"
#include "io/io_error.h"
#include "io/revision_path.h"
#include "io/tensor_source.h"
#include "tensor/error_text.h"
#include "util/log.h"

namespace fs = std::filesystem;

namespace mg::engine {

namespace {

using graph::NodeId;

// What makes a source node's output: the bytes on disk, by their size and time.
std::string sourceSalt(const graph::Document& document, NodeId id) {
  const auto* type = document.nodeType(id);
  if (!type) return {};
  std::string salt;
  for (const auto& def : type->params) {
    if (def.kind != graph::ParamKind::Path || def.pathUse == graph::PathUse::Write) continue;
    const auto* value = document.param(id, def.name);
    if (value && value->is_string()) salt += fileSignature(value->get<std::string>()) + ";";
  }
  return salt;
}

// What a finished node's status carries of its outputs for the run summary and the GUI.
void copyShownOutputs(const NodeOutputs& outputs, NodeStatus& status) {
  status.facts = outputs.facts;
  status.results = outputs.results;
  status.matrices = outputs.matrices;
  status.embeddings = outputs.embeddings;
  status.scatters = outputs.scatters;
  status.searchWinners = outputs.searchWinners;
  status.warnings = outputs.warnings;
}

bool isFinished(NodeState state) {
  return state == NodeState::Done || state == NodeState::Cached;
}

// Validation issues that stop nodes before they run: document errors and, from file headers only, inputs
// that cannot be combined.
std::map<NodeId, std::string> blockingIssues(const graph::Document& document) {
  std::vector<graph::Issue> issues = graph::validate(document);
  if (!graph::hasErrors(issues)) {
    auto shapes = graph::validateShapes(document, [](const std::string& path) {
      return std::shared_ptr<const io::TensorSource>(io::openTensorSource(path));
    });
    issues.insert(issues.end(), shapes.begin(), shapes.end());
  }
  std::map<NodeId, std::string> first;
  for (const auto& issue : issues) {
    if (issue.severity == graph::Severity::Error && !first.count(issue.node))
      first[issue.node] = issue.message;
  }
  return first;
}

} // namespace

const char* nodeStateName(NodeState state) {
  switch (state) {
  case NodeState::Pending: return "pending";
  case NodeState::Running: return "running";
  case NodeState::Cached: return "cached";
  case NodeState::Done: return "done";
  case NodeState::Failed: return "failed";
  case NodeState::Cancelled: return "cancelled";
  }
  return "unknown";
}

bool RunSummary::ok() const {
  if (cancelled || !failure.empty()) return false;
  for (const auto& [id, status] : nodes) {
    if (!isFinished(status.state)) return false;
  }
  return true;
}

std::string fileSignature(const std::string& path) {
  if (const auto revision = io::parseRevisionPath(path)) { // PATH@REV: what REV resolves to now
    try {
      return path + "=commit:" + io::revisionCommit(*revision);
    } catch (const io::IoError&) {
      return path + ":missing";
    }
  }
  std::error_code ec;
  auto describe = [&](const fs::path& p) {
    std::ostringstream out;
    const auto size = fs::is_regular_file(p, ec) ? fs::file_size(p, ec) : 0;
    const auto time = fs::last_write_time(p, ec).time_since_epoch().count();
    out << p.filename().string() << ':' << size << ':' << time;
    return out.str();
  };
  if (!fs::exists(path, ec)) return path + ":missing";
  std::string signature = path + "=" + describe(path);
  if (fs::is_directory(path, ec)) {
    std::set<std::string> entries; // sorted: directory order is not stable
    for (const auto& entry : fs::directory_iterator(path, ec))
      entries.insert(describe(entry.path()));
    for (const auto& entry : entries)
      signature += "|" + entry;
  }
  return signature;
}

GraphExecutor::GraphExecutor(std::string scratchRoot, std::uint64_t cacheLimitBytes)
    : cache_(std::move(scratchRoot), cacheLimitBytes) {}

std::string GraphExecutor::defaultScratchRoot() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path root = xdg && *xdg ? fs::path(xdg) : fs::path(home && *home ? home : "/tmp") / ".cache";
  return (root / "merganser" / "scratch").string();
}

void GraphExecutor::clearCache() {
  cache_.clear();
}

std::size_t GraphExecutor::cachedNodes() const {
  return cache_.size();
}

void GraphExecutor::setCacheLimit(std::uint64_t bytes) {
  cache_.setLimit(bytes);
}

std::uint64_t GraphExecutor::cacheLimit() const {
  return cache_.limit();
}

std::uint64_t GraphExecutor::cachedBytes() const {
  return cache_.bytesOnDisk();
}

RunSummary GraphExecutor::run(const graph::Document& document, const std::vector<NodeId>& requested,
                              const RunEvents& events, const CancelToken& cancel) {
  const CacheRun cacheRun(cache_); // what this run uses stays; its failed nodes' folders go when it ends
  RunSummary summary;
  std::map<NodeId, NodeOutputs> outputs;
  try {
    runPass(document, requested, events, cancel, outputs, summary);
  } catch (...) {
    summary.failure = tensor::currentExceptionText();
  }
  if (summary.failure.empty()) return summary;
  mg::log::get("engine")->error("run failed: {}", summary.failure);
  // Not reported through the events: they may be what threw.
  for (auto& [id, status] : summary.nodes) {
    if (isFinished(status.state) || status.state == NodeState::Failed || status.state == NodeState::Cancelled)
      continue;
    status.state = NodeState::Failed;
    status.message = "not finished: " + summary.failure;
  }
  return summary;
}

NodeOutputs GraphExecutor::runUpstream(const graph::Document& document, NodeId target,
                                       const CancelToken& cancel, const Progress& progress,
                                       cluster::Communicator* ranks) {
  // The sub-pass's nodes are not reported as the run's: the node that started it shows the progress.
  RunEvents events;
  events.nodeChanged = [&](NodeId id, const NodeStatus& status) {
    if (!progress || status.state != NodeState::Running) return;
    if (id == target) {
      progress(status.progress, status.message);
    } else {
      progress(-1, document.at(id).title + (status.message.empty() ? "" : ": " + status.message));
    }
  };
  std::map<NodeId, NodeOutputs> outputs;
  RunSummary summary;
  cluster::Communicator* const passRanks = ranks_; // the sub-pass's nodes get the ranks given
  ranks_ = ranks;
  try {
    runPass(document, {target}, events, cancel, outputs, summary);
  } catch (...) {
    ranks_ = passRanks;
    throw;
  }
  ranks_ = passRanks;
  if (summary.cancelled) throw Cancelled();
  // In plan order the first failure is the cause; later ones are "not run" because of it.
  std::vector<NodeId> order = summary.order;
  order.push_back(target); // a cycle leaves no order, only the failed target
  for (const NodeId id : order) {
    const auto it = summary.nodes.find(id);
    if (it == summary.nodes.end() || it->second.state != NodeState::Failed) continue;
    const auto* node = document.node(id);
    throw std::runtime_error("'" + (node ? node->title : std::to_string(id)) + "' (node " +
                             std::to_string(id) + "): " + it->second.message);
  }
  const auto it = outputs.find(target);
  if (it == outputs.end()) throw std::runtime_error("node " + std::to_string(target) + " did not run");
  return it->second;
}

void GraphExecutor::runPass(const graph::Document& document, const std::vector<NodeId>& requested,
                            const RunEvents& events, const CancelToken& cancel,
                            std::map<NodeId, NodeOutputs>& outputs, RunSummary& summary) {
  const auto log = mg::log::get("engine");
  auto report = [&](NodeId id) {
    if (events.nodeChanged) events.nodeChanged(id, summary.nodes[id]);
  };
  const std::vector<NodeId> targets = requested.empty() ? graph::sinkNodes(document) : requested;
  if (targets.empty()) return;

  std::map<NodeId, graph::CacheKey> keys;
  try {
    summary.order = graph::topologicalOrder(document, targets);
    keys = graph::cacheKeys(document, targets, sourceSalt);
  } catch (const std::exception& error) { // a cycle: every target fails with it
    for (const NodeId id : targets) {
      NodeStatus& status = summary.nodes[id];
      status.state = NodeState::Failed;
      status.message = error.what();
      report(id);
    }
    return;
  }
  for (const NodeId id : summary.order) {
    summary.nodes[id].key = keys[id];
    report(id);
  }
  const auto blocked = blockingIssues(document);

  for (const NodeId id : summary.order) {
    NodeStatus& status = summary.nodes[id];
    const graph::Node& node = document.at(id);
    if (cancel.cancelled()) {
      summary.cancelled = true;
      status.state = NodeState::Cancelled;
      report(id);
      continue;
    }
    // Inputs first: a node whose input failed does not run.
    NodeRunContext context{document, id, {}, {}, &cancel, {}, {}, {}};
    std::string notRun;
    for (std::size_t i = 0; i < document.inputCount(id); ++i) {
      const auto from = document.source({id, i});
      if (!from) {
        context.inputs.emplace_back();
        continue;
      }
      const auto& upstream = summary.nodes[from->node];
      if (!isFinished(upstream.state)) {
        notRun = "not run: input '" + document.inputLabel(id, i) + "' comes from '" +
                 document.at(from->node).title + "', which " +
                 (upstream.state == NodeState::Cancelled ? "was cancelled" : "failed");
        break;
      }
      const auto& values = outputs[from->node].values;
      context.inputs.push_back(from->port < values.size() ? values[from->port] : NodeValue{});
    }
    if (notRun.empty() && blocked.count(id)) notRun = blocked.at(id);
    if (!notRun.empty()) {
      status.state = NodeState::Failed;
      status.message = notRun;
      report(id);
      continue;
    }

    if (auto hit = cache_.find(keys[id])) {
      copyShownOutputs(*hit, status);
      outputs[id] = std::move(*hit);
      status.state = NodeState::Cached;
      report(id);
      continue;
    }

    const NodeRunner* runner = NodeRunnerRegistry::instance().find(node.type);
    status.state = NodeState::Running;
    status.progress = 0;
    report(id);
    const auto start = std::chrono::steady_clock::now();
    try {
      if (!runner) {
        const auto* type = document.nodeType(id);
        throw std::runtime_error("'" + (type ? type->title : node.type) +
                                 "' nodes cannot run in this version of Merganser yet");
      }
      context.scratchFolder = cache_.folderFor(keys[id]);
      context.ranks = ranks_;
      context.progress = [&](double fraction, const std::string& what) {
        status.progress = fraction;
        status.message = what;
        report(id);
      };
      context.publish = [&](const NodeOutputs& partial) {
        copyShownOutputs(partial, status);
        report(id);
      };
      context.runUpstream = [this, &cancel](const graph::Document& variant, NodeId target,
                                            const Progress& progress, cluster::Communicator* ranks) {
        return runUpstream(variant, target, cancel, progress, ranks);
      };
      NodeOutputs result = (*runner)(context);
      if (const auto problem = nonFiniteScores(result)) throw std::runtime_error(*problem);
      status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      status.state = NodeState::Done;
      status.progress = 1;
      status.message.clear();
      copyShownOutputs(result, status);
      for (const auto& warning : result.warnings)
        log->warn("{}: {}", context.describe(), warning);
      cache_.store(keys[id], result);
      outputs[id] = std::move(result);
    } catch (const Cancelled& cancelled) {
      summary.cancelled = true;
      status.state = NodeState::Cancelled;
      status.message = cancelled.what(); // "cancelled", or what the node kept
    } catch (...) { // whatever a runner or its library threw: this node's failure, not the run's
      status.state = NodeState::Failed;
      status.message = tensor::currentExceptionText();
      log->error("{}: {}", context.describe(), status.message);
    }
    status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report(id);
  }
}

} // namespace mg::engine
