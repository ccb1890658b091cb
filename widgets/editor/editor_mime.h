#pragma once
// The drag-and-drop formats the canvas accepts (the library panel produces them; file managers give
// text/uri-list), and the one it puts on the clipboard (graph::kClipboardMimeType).
namespace mg::ui::mime {

// UTF-8 node type id, e.g. "merge.ties": a node of that type at the drop point.
inline constexpr const char* kNodeType = "application/x-merganser-node-type";
// UTF-8 JSON {"path": "/abs/path"}: a source node for that file or folder.
inline constexpr const char* kSource = "application/x-merganser-source";
// UTF-8 JSON {"nodes": [3, 7]}: existing nodes (points picked on the embedding map). Dropped on a node they
// feed it; dropped on the canvas they feed a new task arithmetic merge (node_list_mime.h).
inline constexpr const char* kNodes = "application/x-merganser-nodes";

} // namespace mg::ui::mime
