#pragma once
// A kind of node: its ports, its parameter schema and the rules validation applies to it. Node types are
// data in a registry (node_type_registry.h), so a new kind of node joins the editor, the project file and
// validation without any of them changing.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "graph/param_def.h"
#include "graph/port_type.h"

namespace mg::graph {

class Document;
struct Issue;
using NodeId = std::uint64_t;

struct PortSpec {
  std::string name; // "base", "models"
  PortType type = PortType::Model;
  bool optional = false;
  // A group of inputs that grows as it is used: one free input more than are connected (at most maxCount),
  // numbered after the fixed inputs. Only the last input of a type may be variadic; outputs never are.
  bool variadic = false;
  bool weighted = false;    // variadic: each connected input carries a weight (default 1)
  std::size_t maxCount = 0; // variadic: most inputs the group grows to; 0 = unbounded
  std::string help;
};

// What validateShapes() can know about a node's output tensors without reading data.
enum class ShapeRule {
  Opaque, // nothing (scores, adapters made by an operator, ...): checks downstream stop here
  Source, // the tensors listed by whatever its "path" parameter names
  Common  // its Model / Delta inputs must agree on names and shapes; the output has the reference's tensors
};

struct NodeType {
  std::string id;       // "merge.ties": stored in project files, never changes once released
  std::string title;    // "TIES"
  std::string category; // "Sources", "Merge", "LoRA", "Train", "Operators", "Sinks"
  std::string help;
  std::vector<PortSpec> inputs;
  std::vector<PortSpec> outputs;
  std::vector<ParamDef> params;
  bool sink = false; // a result the user asks for (export, evaluate, ...): what "run" runs
  // An Adapter arriving on a Model input is applied to this node's "base" input. Without a connected base it
  // is an error, unless the node uses adapters as they are (export writes an adapter folder).
  bool takesBareAdapters = false;
  ShapeRule shapes = ShapeRule::Opaque;
  // Why nodes of this type cannot run in this version, as users read it ("Fisher merging needs evaluation
  // data, which merge nodes cannot take yet"); empty when they run. Such a type is in the editor and the
  // project file, and validation reports the reason on each of its nodes, so it is said before a run. A
  // type that runs has a runner in engine::NodeRunnerRegistry (a test checks every type is one or the other).
  std::string notRunnable;
  // Rules of this type beyond the generic ones (e.g. a merge method's input counts), appended to `issues`.
  std::function<void(const Document& document, NodeId node, std::vector<Issue>& issues)> check;

  const ParamDef* param(const std::string& name) const; // nullptr when it takes no such parameter
  // The same, also by an earlier name of the parameter (ParamDef::aliases), for files written before a
  // rename: "row_wise" finds model_stock's filter_wise.
  const ParamDef* findParam(const std::string& nameOrAlias) const;
  // Fixed inputs come first, each one input; the variadic group (if any) follows.
  std::size_t fixedInputCount() const;
  const PortSpec* variadicInput() const; // nullptr when the type has none
  // The index of a fixed input by name, or of the variadic group's first input.
  std::optional<std::size_t> inputIndex(const std::string& name) const;
};

// Checks a type's definition (ids, names, variadic placement, defaults against their own definitions);
// returns the problem. The registry refuses types that fail it.
MaybeError checkNodeType(const NodeType& type);

} // namespace mg::graph
