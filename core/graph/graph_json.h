#pragma once
// Nodes and edges as JSON text, shared by the project file and the clipboard (internal to core/graph).
// The text diffs well: fixed key order, 2-space indent, one block per node, one line per edge, short
// arrays on one line, numbers in their shortest round-trip form (locale-independent).
#include <string>

#include "graph/document.h"

namespace mg::graph::detail {

// 2: merge.fisher has a 'statistics' input before 'models', route.router a 'fit' input before 'adapters'
// (graph/format_migrations.h reads version 1).
constexpr int kGraphJsonVersion = 2;

// `format` names the kind of text ("merganser-project", "merganser-nodes"). Path parameters are written
// relative to `folder` when it is not empty. Throws std::invalid_argument when a string is not valid UTF-8.
std::string writeGraphJson(const Document& document, const std::string& format, const std::string& folder);

// Reads what writeGraphJson() wrote into a new document; relative paths are resolved against `folder` when
// it is not empty. Throws io::IoError(file, ...) for text that is not JSON and std::invalid_argument with a
// one-line problem ("node 3: ...") for JSON that is not such a graph.
Document readGraphJson(const std::string& text, const std::string& format, const std::string& folder,
                       const std::string& file, const NodeTypeRegistry& registry);

} // namespace mg::graph::detail
