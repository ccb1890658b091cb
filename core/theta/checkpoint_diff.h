#pragma once
// What changed between two versions of a checkpoint, tensor by tensor, with the size of each change: what
// `git diff` shows for a file under the theta diff driver. Either side may be the checkpoint itself, its
// manifest (tensors read from the object store), or nothing (a file added or deleted).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "theta/manifest.h"
#include "theta/object_store.h"

namespace mg::theta {

struct TensorChange {
  enum class Kind { Added, Removed, Changed, Relaid } kind; // Relaid: its dtype or shape changed
  std::string name;
  StoredTensor before, after;
  double normOfChange = 0; // Changed: the L2 norm of after − before, over the values as float32
  double normBefore = 0;   // Changed: the L2 norm of before
};

struct CheckpointDiff {
  std::vector<TensorChange> changes; // in name order
  std::size_t unchanged = 0;
};

// One side of a comparison: the file at `path` ("/dev/null": none), its tensors named by content.
struct CheckpointSide {
  std::string path;
  std::optional<Manifest> manifest; // what the file is or stands for; empty for none
  bool checkpoint = false;          // the file is the checkpoint: its tensors are read from it, not the store
};
// Reads `path`: a manifest as it is, a checkpoint by hashing its tensors (nothing is stored).
CheckpointSide readSide(const std::string& path);

CheckpointDiff diffCheckpoints(const CheckpointSide& before, const CheckpointSide& after,
                               const ObjectStore& store);
// The report, one line per changed tensor, headed by `name` (the file's path in the repository).
std::string diffReport(const std::string& name, const CheckpointDiff& diff);

} // namespace mg::theta
