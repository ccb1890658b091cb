#pragma once
// What a file or folder on disk is to the workbench: the node a dropped path becomes, and what the library
// panel lists. Decided by io::detectPath (io/path_kind.h), the same rules openTensorSource opens by, so a
// listed model or adapter is one that opens. Reading the tensors is left to openTensorSource / validation,
// so a broken file is still recognised and then reported on its node.
#include <optional>
#include <string>
#include <vector>

#include "io/path_kind.h"

namespace mg::io {

enum class SourceRole {
  Model,   // a safetensors file, a sharded index, a model folder, an HDF5 checkpoint
  Adapter, // a PEFT adapter folder (adapter_config.json)
  Tasks    // an HDF5 task file (root datasets "inputs" and "labels"), or a folder holding only task files
};

SourceRole sourceRoleOf(PathKind kind);

const char* sourceRoleName(SourceRole role); // "model", "adapter", "tasks"

struct Classification {
  std::optional<SourceRole> role;
  std::string reason; // when role is empty: why, e.g. "pickled weights are not loaded (...)"
};

// Classifies one path. Never throws: an unreadable or unrecognised path gets an empty role and a reason.
Classification classifySourcePath(const std::string& path);

struct FoundSource {
  std::string path; // absolute
  SourceRole role;
};

// Walks `folder` (at most `maxDepth` levels below it) and lists what classifySourcePath recognises, sorted
// by path. A recognised folder is listed once and not descended into; hidden entries are skipped. Never
// throws: unreadable sub-folders are skipped.
std::vector<FoundSource> findSources(const std::string& folder, int maxDepth = 3);

} // namespace mg::io
