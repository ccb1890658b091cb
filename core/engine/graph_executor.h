#pragma once
// Runs a project's graph: plans the nodes the requested sinks need (topological order), reports each
// node's state as it goes, reuses outputs cached under their graph::cacheKey so that an edit re-runs only
// what depends on it, and stops at the next tensor when cancelled. Qt-free: the GUI runs it on a worker
// thread (widgets/engine), `merganser-cli run` on its own thread.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "weights/cancel.h"
#include "engine/node_cache.h"
#include "engine/node_runner.h"
#include "graph/cache_key.h"

namespace mg::cluster {
class Communicator;
}

namespace mg::engine {

enum class NodeState {
  Pending,  // planned, waiting for its inputs
  Running,  // progress in NodeStatus::progress
  Cached,   // outputs reused from an earlier run with the same key
  Done,     // ran in this run
  Failed,   // message says why (its own error, or which input failed)
  Cancelled // the run was cancelled before or while it ran
};
const char* nodeStateName(NodeState state); // "pending", "running", ...

struct NodeStatus {
  NodeState state = NodeState::Pending;
  double progress = -1; // 0..1 while running, -1 when unknown
  std::string message;  // Failed: the error; Running: the current step
  std::vector<std::string> facts, warnings;
  std::vector<ScoresValue> results;             // NodeOutputs::results once Done or Cached
  std::vector<MatrixValue> matrices;            // NodeOutputs::matrices once Done or Cached
  std::vector<EmbeddingsValue> embeddings;      // NodeOutputs::embeddings once Done or Cached
  std::vector<ScatterValue> scatters;           // NodeOutputs::scatters once Done or Cached
  std::vector<SearchWinnerValue> searchWinners; // NodeOutputs::searchWinners once Done or Cached
  double seconds = 0;                           // time spent running (0 when cached)
  graph::CacheKey key = 0;
};

struct RunEvents {
  // Called on the executor's thread for every state change and progress step.
  std::function<void(graph::NodeId, const NodeStatus&)> nodeChanged;
};

struct RunSummary {
  // The document that ran, when whoever ran it kept it (the GUI's EngineBridge runs a copy while the user
  // edits on): its results are labelled and saved by it, not by a document edited since. Null otherwise.
  std::shared_ptr<const graph::Document> document;
  std::vector<graph::NodeId> order; // the nodes run, in order
  std::map<graph::NodeId, NodeStatus> nodes;
  bool cancelled = false;
  // Set when the run itself failed, outside any one node (a RunEvents callback threw, an internal error):
  // the error, one line. Nodes it left unfinished are Failed with "not finished: " and it.
  std::string failure;
  bool ok() const; // every node Done or Cached, not cancelled, no failure
};

class GraphExecutor {
public:
  // `scratchRoot`: where nodes that produce files (an extracted adapter) keep them, in this executor's own
  // sub-folder, one folder per cache key; `cacheLimitBytes` bounds them (engine/node_cache.h).
  explicit GraphExecutor(std::string scratchRoot = defaultScratchRoot(),
                         std::uint64_t cacheLimitBytes = kDefaultCacheLimitBytes);

  // Runs `targets` and what they depend on (no targets: every sink) of `document`, blocking until done.
  // Never throws: a node's failure is in its status, anything else in RunSummary::failure. Not reentrant:
  // one run at a time.
  RunSummary run(const graph::Document& document, const std::vector<graph::NodeId>& targets,
                 const RunEvents& events, const CancelToken& cancel);

  void clearCache(); // deletes the scratch folders too
  std::size_t cachedNodes() const;
  // Bytes of scratch on disk beyond which the least recently used entries are evicted (their folders
  // deleted); applies at once and to the run in progress, never evicting what that run uses.
  void setCacheLimit(std::uint64_t bytes);
  std::uint64_t cacheLimit() const;
  std::uint64_t cachedBytes() const;
  // This executor's own sub-folder of the scratch root.
  const std::string& scratchFolder() const { return cache_.ownFolder(); }

  // $XDG_CACHE_HOME/merganser/scratch (~/.cache/merganser/scratch).
  static std::string defaultScratchRoot();

  // Runs every later pass as one of the ranks of an MPI job (merganser-cli run under mpirun): every rank runs
  // the same document; nodes divide their work (NodeRunContext::ranks). Null (the default): this process
  // alone.
  void setRanks(cluster::Communicator* ranks) { ranks_ = ranks; }

private:
  using Progress = std::function<void(double fraction, const std::string& what)>;
  // One pass over a document: plans `targets`, runs them, and keeps the outputs of the nodes that finished
  // in `outputs`. run() is one pass; a Sweep node's points are passes of their own, started from inside the
  // pass that runs the Sweep (NodeRunContext::runUpstream), sharing the cache and the cancel token.
  // Fills `summary` as it goes, so that what it did is known when something throws out of it.
  void runPass(const graph::Document& document, const std::vector<graph::NodeId>& targets,
               const RunEvents& events, const CancelToken& cancel,
               std::map<graph::NodeId, NodeOutputs>& outputs, RunSummary& summary);
  // A sub-pass for `target` alone: its outputs, or Cancelled / the first failure as an exception.
  NodeOutputs runUpstream(const graph::Document& document, graph::NodeId target, const CancelToken& cancel,
                          const Progress& progress, cluster::Communicator* ranks);

  NodeCache cache_;
  cluster::Communicator* ranks_ = nullptr;
};

// A file or folder's identity for cache keys: size and modification time (of each entry, for a folder),
// so a file changed on disk invalidates the nodes that read it.
std::string fileSignature(const std::string& path);

} // namespace mg::engine
