#pragma once
// What is wrong with a document before it runs: the badges on nodes and the CLI's refusal to start.
// validate() looks at the document alone; validateShapes() also reads the headers of the files the
// sources name (tensor names, dtypes and shapes, never data) to catch inputs that cannot be merged.
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "graph/node.h"

namespace mg::io {
class TensorSource;
}

namespace mg::graph {

class Document;

enum class Severity { Warning, Error };

struct Issue {
  NodeId node = kNoNode;
  Severity severity = Severity::Error;
  std::string message;              // one line, without the node's name (the badge sits on the node)
  std::optional<std::size_t> input; // the input concerned, when there is one
  std::string param;                // the parameter concerned, when there is one
  // The message as a pattern and its arguments (graph/issue_texts.h), for a reader in another language;
  // empty when the message was built otherwise.
  std::string pattern{};
  std::vector<std::string> args{};
};

// An issue whose message is `pattern` filled with `args`.
Issue patternIssue(NodeId node, Severity severity, std::string pattern, std::vector<std::string> args = {},
                   std::optional<std::size_t> input = std::nullopt, std::string param = {});

// Every problem of every node, ordered by node id: unknown node types, types that cannot run in this
// version (NodeType::notRunnable), parameters that break their schema
// or are unset though required (an empty path), required inputs left unconnected, adapters without a base
// to apply them to, type mismatches and cycles (which connect() refuses, but a file may hold), and each
// type's own rules (a merge method's base use and input counts).
std::vector<Issue> validate(const Document& document);

// Opens a path as a tensor source (e.g. io::openTensorSource); may throw, which becomes an issue on the
// source node; may return nullptr to skip the path.
using SourceOpener = std::function<std::shared_ptr<const io::TensorSource>(const std::string& path)>;

// Compatibility of the tensors meeting at each node that combines models (merges, subtract, add, extract,
// export, evaluate), from file headers only: every input must hold the reference's tensors (the base, or
// the first input without one) with the same shapes (embedding / LM-head vocabularies may differ, as the
// merge crops them) and floating dtypes; an adapter must fit the base it is applied to. Reports the first
// disagreement per node, naming the tensor and the input. Each path is opened once.
std::vector<Issue> validateShapes(const Document& document, const SourceOpener& open);

bool hasErrors(const std::vector<Issue>& issues);
// "error: 'TIES' (node 3), input 'models 2': tensor 'w' has shape [2, 3] ..." for logs and the CLI.
std::string issueText(const Document& document, const Issue& issue);

} // namespace mg::graph
