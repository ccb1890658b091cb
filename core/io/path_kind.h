#pragma once
// What a file or folder is, decided in one place: by folder contents, file name, then the first bytes of the
// file, never by reading tensors. classifySourcePath (what a dropped path becomes, what the Library lists)
// and openTensorSource (what is opened) are both built on detectPath, so they cannot disagree: a path the
// Library lists as a model or adapter is the path that opens, and a refused path has the same one-line
// reason in both. A recognised path with broken content (a truncated .safetensors) is still recognised;
// opening it reports what is wrong.
//
// The rules, first match wins:
//   folder with adapter_config.json   PEFT adapter (refused when its only weights are a pickled .bin)
//   folder with config.json           Hugging Face model folder (weights as modelFolderWeights says)
//   other folder                      its weights when unambiguous: model.safetensors.index.json, else one
//                                     *.safetensors.index.json, else model.safetensors; else a task folder
//                                     (only HDF5 task files); else refused (pickles named)
//   config.json / adapter_config.json the folder holding it
//   *.bin.index.json, pickles         refused: Merganser never unpickles
//   *.safetensors.index.json          sharded safetensors
//   *.safetensors                     safetensors file
//   *.h5, *.hdf5                      task file (root datasets inputs and labels), else HDF5 checkpoint
//   any other file                    by signature: HDF5 ("\x89HDF\r\n\x1a\n") as above, safetensors (a
//                                     header length that fits the file, then '{'); else refused
#include <optional>
#include <string>

namespace mg::io {

enum class PathKind {
  PeftAdapter,     // open: the adapter folder
  HfModelFolder,   // open: the model folder
  ShardedIndex,    // open: the *.safetensors.index.json file
  SafetensorsFile, // open: the file (a folder's model.safetensors)
  Hdf5Checkpoint,  // open: the file
  TaskFile,        // evaluation data, not weights: read with readTaskSet
  TaskFolder       // a folder of task files
};

const char* pathKindName(PathKind kind); // "PEFT adapter", "Hugging Face model folder", ...

struct PathDetection {
  std::optional<PathKind> kind;
  std::string open;   // what to open when kind is set (the path itself, its folder, or a file inside it)
  std::string reason; // when kind is empty: why the path is refused, one line without the path
};

// Never throws: a missing, unreadable or unrecognised path gets an empty kind and a reason.
PathDetection detectPath(const std::string& path);

// The weights of a model folder: model.safetensors.index.json, else the one *.safetensors.index.json, else
// model.safetensors, else (only when `anySingleFile`, as for a folder with config.json) the one
// *.safetensors file. Kind ShardedIndex or SafetensorsFile, or the reason there are none (naming a pickle
// when the folder holds one). Hidden files (unfinished exports, macOS "._" shadows) are ignored.
PathDetection modelFolderWeights(const std::string& folder, bool anySingleFile);

// Whether an HDF5 file is a task file (root datasets "inputs" and "labels") rather than a checkpoint.
bool isTaskFile(const std::string& path);

} // namespace mg::io
