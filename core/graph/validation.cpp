#include "graph/validation.h"

#include <algorithm>
#include <map>
#include <set>

#include "graph/document.h"
#include "graph/issue_texts.h"

namespace mg::graph {

namespace {

class Checker {
public:
  Checker(const Document& document, std::vector<Issue>& issues) : doc_(document), issues_(issues) {}

  void node(NodeId id) {
    const Node& node = doc_.at(id);
    const NodeType* type = doc_.nodeType(id);
    if (type == nullptr) {
      addPattern(id, Severity::Error, issue_texts::kUnknownType, {node.type});
      return;
    }
    if (!type->notRunnable.empty()) {
      addPattern(id, Severity::Error, type->notRunnable, {});
    }
    params(id, node, *type);
    inputs(id, *type);
    for (const auto& edge : doc_.edgesInto(id)) {
      this->edge(edge, *type);
    }
    if (onCycle(id)) {
      addPattern(id, Severity::Error, issue_texts::kCycle, {});
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
  void addPattern(NodeId id, Severity severity, std::string pattern, std::vector<std::string> args,
                  std::optional<std::size_t> input = std::nullopt, std::string param = {}) {
    issues_.push_back(
        patternIssue(id, severity, std::move(pattern), std::move(args), input, std::move(param)));
  }

  void params(NodeId id, const Node& node, const NodeType& type) {
    for (const auto& def : type.params) {
      const auto it = node.params.find(def.name);
      if (it == node.params.end()) {
        addPattern(id, Severity::Error, issue_texts::kParamMissing, {def.name}, std::nullopt, def.name);
        continue;
      }
      if (def.required && it->second == "") {
        addPattern(id, Severity::Error, issue_texts::kParamNotSet, {def.name}, std::nullopt, def.name);
        continue;
      }
      auto value = it->second;
      if (auto error = normalizeValue(def, value)) {
        add(id, Severity::Error, *error, std::nullopt, def.name);
      }
    }
    for (const auto& [name, value] : node.params) {
      if (type.param(name) == nullptr) {
        addPattern(id, Severity::Warning, issue_texts::kParamIgnored, {name, type.title}, std::nullopt, name);
      }
    }
  }

  void inputs(NodeId id, const NodeType& type) {
    for (std::size_t i = 0; i < type.fixedInputCount(); ++i) {
      if (!type.inputs[i].optional && !doc_.source({id, i})) {
        addPattern(id, Severity::Error, issue_texts::kInputNotConnected, {type.inputs[i].name}, i);
      }
    }
    const PortSpec* group = type.variadicInput();
    if (group != nullptr && !group->optional && doc_.variadicConnected(id) == 0) {
      addPattern(id, Severity::Error, issue_texts::kGroupNotConnected, {group->name}, type.fixedInputCount());
    }
  }

  void edge(const Edge& edge, const NodeType& type) {
    const NodeId id = edge.to.node;
    const std::string label = doc_.inputLabel(id, edge.to.port);
    const PortSpec* in = doc_.inputSpec(id, edge.to.port);
    if (in == nullptr) {
      addPattern(id, Severity::Error, issue_texts::kNoSuchInput, {label, type.title}, edge.to.port);
      return;
    }
    if (doc_.nodeType(edge.from.node) == nullptr) {
      return; // an unknown node's outputs have no known type; that node is reported itself
    }
    const PortSpec* out = doc_.outputSpec(edge.from.node, edge.from.port);
    if (out == nullptr) {
      addPattern(id, Severity::Error, issue_texts::kNoSuchOutput, {label}, edge.to.port);
      return;
    }
    if (!canConnect(out->type, in->type)) {
      addPattern(id, Severity::Error, issue_texts::kWrongType,
                 {label, portTypeName(in->type), portTypeName(out->type)}, edge.to.port);
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
      addPattern(id, Severity::Error, issue_texts::kAdapterOnBase, {}, edge.to.port);
      return;
    }
    const bool hasBase = baseInput && doc_.source({id, *baseInput});
    if (hasBase || type.takesBareAdapters) {
      return;
    }
    if (baseInput)
      addPattern(id, Severity::Error, issue_texts::kAdapterNeedsBase, {label}, edge.to.port);
    else
      addPattern(id, Severity::Error, issue_texts::kAdapterWithoutBase, {label, type.title}, edge.to.port);
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

Issue patternIssue(NodeId node, Severity severity, std::string pattern, std::vector<std::string> args,
                   std::optional<std::size_t> input, std::string param) {
  Issue issue{node, severity, fillPattern(pattern, args), input, std::move(param)};
  issue.pattern = std::move(pattern);
  issue.args = std::move(args);
  return issue;
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
