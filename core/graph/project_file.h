#pragma once
// The project file (.mgproj): a document as versioned JSON that diffs well, e.g.
//   {
//     "format": "merganser-project",
//     "version": 1,
//     "next_id": 4,
//     "nodes": [
//       {
//         "id": 1,
//         "type": "source.model",
//         "title": "Base",
//         "position": [0.0, 0.0],
//         "params": {
//           "path": "models/base.safetensors"
//         }
//       },
//       ...
//     ],
//     "edges": [
//       {"from": [1, 0], "to": [3, 0]},
//       ...
//     ],
//     "groups": [
//       {"id": 1, "title": "Merges", "collapsed": true, "members": [3, 4]},
//       ...
//     ],
//     "frames": [
//       {"id": 1, "title": "Inputs", "colour": "blue", "rect": [-40.0, -60.0, 520.0, 300.0],
//        "comment": "**bold**"},
//       ...
//     ],
//     "comments": [
//       {"id": 2, "rect": [600.0, -60.0, 240.0, 120.0], "text": "Markdown"},
//       ...
//     ],
//     "reroutes": [
//       {"to": [3, 1], "points": [[250.0, 40.0], [250.0, 120.0]]},
//       ...
//     ]
//   }
// "groups" (graph/node_groups.h), "frames", "comments" and "reroutes" (graph/annotations.h) are each written
// only when the document has one: older files and projects that never used them keep their bytes, and the
// format version stays (a reader that does not know a section ignores it). Frames and comments are in id
// order (one id space), reroutes by their edge's input ("to", as in "edges"), with the points in drawing
// order from the output; a frame's colour is a palette name. Reroutes of an input that has no edge are
// dropped on load.
// Nodes are sorted by id and edges by input; keys come in a fixed order; every parameter is written, defaults
// included, so a project means the same thing after a default changes. Path parameters are stored relative
// to the file's folder (even outside it: "../models/base") and resolved back to absolute paths on load, so a
// project folder can move as a whole; a relative path in the document is taken as relative to the working
// directory. Saving what was loaded gives the same bytes.
//
// Loading keeps what this version does not understand rather than lose the user's graph: a node of an
// unknown type keeps its parameters, weights and edges and is written back unchanged; a value that breaks
// its parameter's definition or an edge whose types no longer fit is kept as written. validate() reports
// all of these. Only what cannot be a graph (bad JSON, a duplicate id, an edge to a missing node or port, a
// newer format version) stops the load.
#include <string>

#include "graph/document.h"
#include "io/io_error.h"

namespace mg::graph {

inline constexpr const char* kProjectExtension = ".mgproj";

// A project file that cannot be read: what() is one line, "FILE: problem". An io::IoError, so code that
// reports file errors handles it as it handles any other.
class ProjectError : public io::IoError {
public:
  using io::IoError::IoError;
};

// Writes atomically (temporary file, flush, rename): `path` holds the old project or the new one, never half.
// Throws ProjectError (text that cannot be stored) or io::IoError (the disk).
void saveProject(const Document& document, const std::string& path);
// Throws ProjectError.
Document loadProject(const std::string& path,
                     const NodeTypeRegistry& registry = NodeTypeRegistry::instance());

// The text of a project file for `document` saved in `folder` (relative paths are relative to it; empty:
// paths are written as they are). For autosave, and for embedding the graph in an exported checkpoint.
std::string projectText(const Document& document, const std::string& folder);
// Parses project text as loadProject() does, with `file` naming it in messages. Throws ProjectError.
Document parseProject(const std::string& text, const std::string& folder, const std::string& file,
                      const NodeTypeRegistry& registry = NodeTypeRegistry::instance());

} // namespace mg::graph
