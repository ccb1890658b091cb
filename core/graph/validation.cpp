#include "graph/validation.h"

#include <algorithm>
#include <map>
#include <set>

#include "graph/document.h"

namespace mg::graph {

namespace {

class Checker {
public:
  Checker(const Document& document, std::vector<Issue>& issues) : doc_(document), issues_(issues) {}

  void node(NodeId id) {
    const Node& node = doc_.at(id);
    const NodeType* type = doc_.nodeType(id);
    if (type == nullptr) {
      add(id, Severity::Error,
          "node type '" + node.type +
              "' is unknown to this version (a newer Merganser or a plug-in that is not "
              "loaded): it is kept as it is but cannot run");
      return;
    }
    if (!type->notRunnable.empty()) {
      add(id, Severity::Error, type->notRunnable);
    }
    params(id, node, *type);
    inputs(id, *type);
    for (const auto& edge : doc_.edgesInto(id)) {
      this->edge(edge, *type);
    }
    if (onCycle(id)) {
      add(id, Severity::Error, "is part of a cycle: a node cannot depend on its own result");
    }
    if (type->check) {
      type->check(doc_, id, issues_);
    }
  }

private:
  void add(NodeId id, Severity severity, std::string message, std::optional<std::size_t> input = std::nullopt,
           std::string param = {}) {
    issues_.push_back({id, severity, std::move(message), input, std::move(param)});
  }

  void params(NodeId id, const Node& node, const NodeType& type) {
    for (const auto& def : type.params) {
      const auto it = node.params.find(def.name);
      if (it == node.params.end()) {
        add(id, Severity::Error, def.name + " is missing", std::nullopt, def.name);
        continue;
      }
      if (def.required && it->second == "") {
        add(id, Severity::Error, def.name + " is not set", std::nullopt, def.name);
        continue;
      }
      auto value = it->second;
      if (auto error = normalizeValue(def, value)) {
        add(id, Severity::Error, *error, std::nullopt, def.name);
      }
    }
    for (const auto& [name, value] : node.params) {
      if (type.param(name) == nullptr) {
        add(id, Severity::Warning,
            "parameter '" + name + "' is not one of " + type.title + "'s and is ignored", std::nullopt, name);
      }
    }
  }

  void inputs(NodeId id, const NodeType& type) {
    for (std::size_t i = 0; i < type.fixedInputCount(); ++i) {
      if (!type.inputs[i].optional && !doc_.source({id, i})) {
        add(id, Severity::Error, "input '" + type.inputs[i].name + "' is not connected", i);
      }
    }
    const PortSpec* group = type.variadicInput();
    if (group != nullptr && !group->optional && doc_.variadicConnected(id) == 0) {
      add(id, Severity::Error, "no input is connected to '" + group->name + "'", type.fixedInputCount());
    }
  }

  void edge(const Edge& edge, const NodeType& type) {
    const NodeId id = edge.to.node;
    const std::string label = "input '" + doc_.inputLabel(id, edge.to.port) + "'";
    const PortSpec* in = doc_.inputSpec(id, edge.to.port);
    if (in == nullptr) {
      add(id, Severity::Error, label + " does not exist on " + type.title, edge.to.port);
      return;
    }
    if (doc_.nodeType(edge.from.node) == nullptr) {
      return; // an unknown node's outputs have no known type; that node is reported itself
    }
    const PortSpec* out = doc_.outputSpec(edge.from.node, edge.from.port);
    if (out == nullptr) {
      add(id, Severity::Error, label + " is fed by an output that does not exist", edge.to.port);
      return;
    }
    if (!canConnect(out->type, in->type)) {
      add(id, Severity::Error,
          label + " takes a " + std::string(portTypeName(in->type)) + ", not a " + portTypeName(out->type),
          edge.to.port);
      return;
    }
    if (out->type == PortType::Adapter && in->type == PortType::Model) {
      adapterOnModelInput(edge, type, label);
    }
  }

  // An adapter on a model input means "base + its delta": the base is this node's "base" input.
  void adapterOnModelInput(const Edge& edge, const NodeType& type, const std::string& label) {
    const NodeId id = edge.to.node;
    const auto baseInput = type.inputIndex("base");
    if (baseInput && *baseInput == edge.to.port) {
      add(id, Severity::Error, "'base' needs a model, not an adapter: apply the adapter to its base first",
          edge.to.port);
      return;
    }
    const bool hasBase = baseInput && doc_.source({id, *baseInput});
    if (hasBase || type.takesBareAdapters) {
      return;
    }
    add(id, Severity::Error,
        label + " is an adapter: " +
            (baseInput
                 ? std::string("connect the base model it was trained on to 'base'")
                 : type.title + " has no base to apply it to (add it to a base with a merge or Add deltas)"),
        edge.to.port);
  }

  // Whether `id` is reachable from its own successors.
  bool onCycle(NodeId id) {
    if (next_.empty()) {
      for (const auto& edge : doc_.edges()) {
        next_.emplace(edge.from.node, edge.to.node);
      }
    }
    std::vector<NodeId> stack;
    std::set<NodeId> seen;
    const auto push = [&](NodeId from) {
      const auto [first, last] = next_.equal_range(from);
      for (auto it = first; it != last; ++it) {
        if (seen.insert(it->second).second) {
          stack.push_back(it->second);
        }
      }
    };
    push(id);
    while (!stack.empty()) {
      const NodeId at = stack.back();
      stack.pop_back();
      if (at == id) {
        return true;
      }
      push(at);
    }
    return false;
  }

  const Document& doc_;
  std::vector<Issue>& issues_;
  std::multimap<NodeId, NodeId> next_; // output node → input node, built on first use
};

} // namespace

std::vector<Issue> validate(const Document& document) {
  std::vector<Issue> issues;
  Checker checker(document, issues);
  for (const NodeId id : document.nodeIds()) {
    checker.node(id);
  }
  std::stable_sort(issues.begin(), issues.end(),
                   [](const Issue& a, const Issue& b) { return a.node < b.node; });
  return issues;
}

bool hasErrors(const std::vector<Issue>& issues) {
  return std::any_of(issues.begin(), issues.end(),
                     [](const Issue& i) { return i.severity == Severity::Error; });
}

std::string issueText(const Document& document, const Issue& issue) {
  std::string text = issue.severity == Severity::Error ? "error: " : "warning: ";
  if (const Node* node = document.node(issue.node)) {
    text += (node->title.empty() ? node->type : "'" + node->title + "'") + " (node " +
            std::to_string(node->id) + ")";
  } else {
    text += "node " + std::to_string(issue.node);
  }
  if (issue.input) {
    text += ", input '" + document.inputLabel(issue.node, *issue.input) + "'";
  }
  return text + ": " + issue.message;
}

} // namespace mg::graph
