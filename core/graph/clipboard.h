#pragma once
// Copy and paste of part of a graph, within a document or across documents: the copied nodes and the edges
// among them as JSON text (the project file's node and edge format, paths absolute) for the system
// clipboard; pasting makes new nodes with fresh ids.
#include <string>
#include <vector>

#include "graph/document.h"

namespace mg::graph {

inline constexpr const char* kClipboardMimeType = "application/x-merganser-nodes";

// The nodes `ids` (unknown ids are skipped) and the edges between two of them. Edges from nodes left behind
// are dropped; a variadic group keeps its copied inputs in order, closed up, with their weights. A node group
// (node_groups.h) whose nodes are all copied is copied too, and pasted as a new group.
// Edges keep their reroute points; the frames and comments `annotations` (graph/annotations.h; unknown ids
// skipped) come along too.
std::string copyNodes(const Document& document, const std::vector<NodeId>& ids,
                      const std::vector<AnnotationId>& annotations = {});

// Adds the copied nodes with fresh ids, moved by `offset`, and their edges; returns the new ids in the
// order of the copied ones. All or nothing: text that is not a copy throws std::invalid_argument (or
// io::IoError for text that is not JSON) and leaves the document unchanged.
// Reroute points, frames and comments move by `offset` as well; the new frames' and comments' ids go to
// `annotations` when given.
std::vector<NodeId> pasteNodes(Document& document, const std::string& text, Point offset,
                               std::vector<AnnotationId>* annotations = nullptr);

} // namespace mg::graph
