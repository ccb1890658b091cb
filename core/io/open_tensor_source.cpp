// openTensorSource: opens what detectPath (io/path_kind.h) says a path is, so what opens is what the Library
// lists and a drop accepts.
#include "io/hdf5_checkpoint.h"
#include "io/hf_model_folder.h"
#include "io/io_error.h"
#include "io/path_kind.h"
#include "io/peft_adapter.h"
#include "io/safetensors_file.h"
#include "io/sharded_safetensors.h"
#include "io/tensor_source.h"

namespace mg::io {

std::unique_ptr<TensorSource> openTensorSource(const std::string& path) {
  const PathDetection detection = detectPath(path);
  if (!detection.kind) throw IoError(path, detection.reason);
  switch (*detection.kind) {
  case PathKind::PeftAdapter: return std::make_unique<PeftAdapter>(detection.open);
  case PathKind::HfModelFolder: return std::make_unique<HfModelFolder>(detection.open);
  case PathKind::ShardedIndex: return std::make_unique<ShardedSafetensors>(detection.open);
  case PathKind::SafetensorsFile: return std::make_unique<SafetensorsFile>(detection.open);
  case PathKind::Hdf5Checkpoint: return std::make_unique<Hdf5Checkpoint>(detection.open);
  case PathKind::TaskFile:
  case PathKind::TaskFolder: break;
  }
  throw IoError(path, std::string("a ") + pathKindName(*detection.kind) +
                          " holds evaluation data (inputs and labels), not weights; use it as tasks");
}

} // namespace mg::io
