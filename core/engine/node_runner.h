#pragma once
// How the engine runs one kind of node. Runners are registered by node type id, like the node types
// themselves (graph/node_type_registry.h), so a later kind of node (evaluate, embed, route) brings its
// runner without the executor changing.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "weights/cancel.h"
#include "engine/node_value.h"
#include "graph/document.h"

namespace mg::cluster {
class Communicator;
}

namespace mg::engine {

// Everything a runner may use: its node, its inputs' values, where to put files it makes, and the
// progress and cancel channels.
struct NodeRunContext {
  const graph::Document& document;
  graph::NodeId node;
  // The value on each input (monostate when unconnected), in input order.
  std::vector<NodeValue> inputs;
  // A folder private to this node and cache key, for outputs that must live on disk (an extracted
  // adapter). Created on demand by the runner; the executor cleans it up with the cache.
  std::string scratchFolder;
  const CancelToken* cancel = nullptr;
  std::function<void(double fraction, const std::string& what)> progress;
  // Runs node `target` of `document` (this run's document with a parameter changed: a Sweep's point) and
  // what it depends on, with the executor running this node, so nodes the change does not reach come from
  // its cache. Returns the target's outputs; reports the target's progress to `progress`. Throws Cancelled,
  // or std::runtime_error naming the node that failed and why. `ranks`: the ranks running the sub-pass
  // together (this node's `ranks`, when every rank runs it), or null when this rank runs it alone (a spread
  // Sweep's point).
  std::function<NodeOutputs(const graph::Document& document, graph::NodeId target,
                            const std::function<void(double fraction, const std::string& what)>& progress,
                            cluster::Communicator* ranks)>
      runUpstream;

  // The ranks of an MPI job running this pass together (cluster/communicator.h), or null for this process
  // alone. Every rank runs the same nodes in the same order; a runner may divide its work among them (an
  // Evaluate node's examples, a Sweep's points, an Export's tensors) but then calls the same collectives on
  // every rank. In a sub-pass: the ranks runUpstream was given.
  cluster::Communicator* ranks = nullptr;

  // Shows what a long-running node has so far (a Search's candidates) while it is still running: the
  // status it reports carries `partial`'s charts until the node finishes. Empty when nobody listens.
  std::function<void(const NodeOutputs& partial)> publish;

  const graph::Node& nodeData() const { return document.at(node); }
  // The input named `name` of the node's type (its first input for a variadic group).
  const NodeValue& input(const std::string& name) const;
  // The values of the variadic group's connected inputs with their weights.
  std::vector<std::pair<const NodeValue*, double>> groupInputs() const;
  // A parameter's value; throws std::invalid_argument when the node lacks it.
  const graph::ParamValue& param(const std::string& name) const;
  std::string paramText(const std::string& name) const; // graph::valueText
  // "'TIES' (node 3)", for messages.
  std::string describe() const;
};

using NodeRunner = std::function<NodeOutputs(NodeRunContext& context)>;

class NodeRunnerRegistry {
public:
  // Holding the built-in runners (engine/runners/builtin_runners.cpp) from its first use.
  static NodeRunnerRegistry& instance();
  void add(const std::string& typeId, NodeRunner runner);
  // The runner for a node type, or nullptr: such a node fails with "cannot run ... yet".
  const NodeRunner* find(const std::string& typeId) const;

private:
  std::map<std::string, NodeRunner> runners_;
};

void registerBuiltinRunners(NodeRunnerRegistry& registry);

} // namespace mg::engine
