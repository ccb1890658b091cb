#pragma once
// Writes a WeightSet to disk, pulling one tensor at a time through it on a pool of workers:
// peak memory stays near (workers + 1) × one tensor's working set, whatever the model size.
// The output path decides the format:
//   *.safetensors      one safetensors file
//   *.h5 / *.hdf5      Merganser's HDF5 checkpoint layout
//   anything else      a folder: sharded safetensors (+ index); with `hfConfigFrom`, a Hugging Face
//                      model folder (the base's config and tokenizer files, dtype fields updated)
// Every output is atomic: on error, non-finite values or cancel, nothing is left at the path.
#include "weights/cancel.h"
#include "weights/progress.h"
#include "weights/tokenizer_merge.h"
#include "weights/weight_set.h"
#include "io/safetensors_writer.h"

#include <optional>
#include <stdexcept>

namespace mg::io {
class HfModelFolder;
}
namespace mg::cluster {
class Communicator;
}

namespace mg::engine {

struct NonFiniteTensor {
  std::string name;
  std::uint64_t count = 0;
};

struct ExportOptions {
  std::optional<io::DType> dtype; // floating tensors are cast to this; default: each tensor's own dtype
  std::uint64_t shardBytes = io::kDefaultShardBytes;
  std::map<std::string, std::string> metadata;
  bool allowNonFinite = false;
  int workers = 0; // tensors in flight; 0 = number of cores
  const io::HfModelFolder* hfConfigFrom = nullptr;
  // With hfConfigFrom: tokenizer files written instead of (or left out from) the copied ones, and the
  // config.json vocab_size to announce (MergedWeights::tokenizerFiles(): tokenizer source, chat template).
  const TokenizerFiles* tokenizer = nullptr;
  ProgressCallback progress;
  const CancelToken* cancel = nullptr;
  // The ranks of an MPI job (cluster/world.h) sharing this export, each computing a part of the tensors
  // (weights/rank_export.h); every rank calls exportWeights with the same weights and options. The root's
  // report is the export's; the other ranks' is empty. Null or one rank: this process does everything.
  cluster::Communicator* ranks = nullptr;
};

struct ExportReport {
  std::uint64_t tensors = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;
  std::vector<NonFiniteTensor> nonFinite; // filled when allowed
  std::vector<std::string> files;         // written files (relative to a folder output)
};

// Thrown when outputs hold NaN/Inf and allowNonFinite is false; lists every offending tensor.
class NonFiniteError : public std::runtime_error {
public:
  explicit NonFiniteError(std::vector<NonFiniteTensor> tensors);
  const std::vector<NonFiniteTensor>& tensors() const { return tensors_; }

private:
  std::vector<NonFiniteTensor> tensors_;
};

ExportReport exportWeights(const WeightSet& weights, const std::string& outPath,
                           const ExportOptions& options);

// Whether `outPath` names one file (.safetensors, .h5, .hdf5) rather than a folder of shards.
bool isFileOutput(const std::string& outPath);

// "float32", "bfloat16", "float16" ... (the torch_dtype spelling of config.json).
std::string torchDtypeName(io::DType dtype);
// Parses "f32", "bf16", "f16", "float32", "bfloat16", "float16"; throws std::invalid_argument.
io::DType parseOutputDtype(const std::string& text);

} // namespace mg::engine
