#pragma once
// What a file or folder on disk is to the workbench, decided cheaply (names, and for HDF5 one look at the
// root): the node a dropped path becomes, and what the library panel lists. Reading the tensors is left to
// openTensorSource / validation, so a broken file is still recognised and then reported on its node.
#include <optional>
#include <string>
#include <vector>

namespace mg::io {

enum class SourceRole {
  Model,   // a .safetensors file, a sharded or Hugging Face model folder, an HDF5 checkpoint
  Adapter, // a PEFT adapter folder (adapter_config.json)
  Tasks    // an HDF5 task file (root datasets "inputs" and "labels"), or a folder holding only task files
};

const char* sourceRoleName(SourceRole role); // "model", "adapter", "tasks"

struct Classification {
  std::optional<SourceRole> role;
  std::string reason; // when role is empty: why, e.g. "pickled weights are not loaded (...)"
};

// Classifies one path. Never throws: an unreadable or unrecognised path gets an empty role and a reason.
Classification classifySourcePath(const std::string& path);

// Whether an HDF5 file is a task file (root datasets "inputs" and "labels") rather than a checkpoint.
bool isTaskFile(const std::string& path);

struct FoundSource {
  std::string path; // absolute
  SourceRole role;
};

// Walks `folder` (at most `maxDepth` levels below it) and lists what classifySourcePath recognises, sorted
// by path. A recognised folder is listed once and not descended into; hidden entries are skipped. Never
// throws: unreadable sub-folders are skipped.
std::vector<FoundSource> findSources(const std::string& folder, int maxDepth = 3);

} // namespace mg::io
