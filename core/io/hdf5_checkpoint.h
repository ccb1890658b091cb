#pragma once
// Merganser's HDF5 checkpoint layout: one dataset per tensor at its dotted name's path
// ("encoder.0.weight" -> /encoder/0/weight), an attribute "dtype" holding the safetensors dtype
// name (types HDF5 1.10 lacks, F16/BF16/F8/BOOL, are stored as U16/U8 bit patterns), and root
// attributes for metadata. Files written by other tools (h5py) are read by walking every dataset.
// All HDF5 calls hold hdf5Mutex(): Debian's libhdf5 is thread-safe only behind its global lock,
// which its C++ API does not take.
#include "io/safetensors_writer.h"
#include "io/tensor_source.h"

#include <cstdint>
#include <mutex>

namespace mg::io {

std::mutex& hdf5Mutex();

class Hdf5Checkpoint final : public TensorSource {
public:
  explicit Hdf5Checkpoint(std::string path); // throws IoError
  ~Hdf5Checkpoint() override;
  Hdf5Checkpoint(const Hdf5Checkpoint&) = delete;
  Hdf5Checkpoint& operator=(const Hdf5Checkpoint&) = delete;
  SourceKind kind() const override { return SourceKind::Hdf5; }
  const std::string& path() const override { return path_; }
  const std::vector<TensorInfo>& tensors() const override { return tensors_; }
  const std::map<std::string, std::string>& metadata() const override { return metadata_; }
  TensorData load(const std::string& name) const override;

private:
  std::string path_;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::string> datasetPath_; // tensor name -> HDF5 path
  std::map<std::string, std::string> metadata_;
  std::int64_t file_ = -1; // the HDF5 file identifier (hid_t), open read-only for the object's life
};

// Streams tensors into an HDF5 checkpoint, atomically (temporary file + rename).
void writeHdf5Checkpoint(const std::string& path, const std::vector<TensorInfo>& tensors,
                         const TensorProducer& produce,
                         const std::map<std::string, std::string>& metadata = {});

} // namespace mg::io
