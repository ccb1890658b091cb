// Writing HDF5 checkpoints: one tensor at a time from the producer, into a temporary file that
// AtomicFile renames over the destination once HDF5 has closed it.
#include "io/atomic_file.h"
#include "io/hdf5_checkpoint.h"
#include "io/hdf5_util.h"
#include "io/io_error.h"
#include "io/strict_json.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

namespace mg::io {

namespace {

// "encoder.0.weight" -> "/encoder/0/weight". A tensor that is also a prefix of another ("a.b" and
// "a.b.c") would have to be a dataset and a group at once, so the whole list is checked up front,
// before the producer is asked for anything.
std::vector<std::string> datasetPaths(const std::string& file, const std::vector<TensorInfo>& tensors) {
  std::set<std::string> names;
  for (const auto& t : tensors) {
    const auto& n = t.name;
    if (n.empty() || n.front() == '.' || n.back() == '.' || n.find("..") != std::string::npos)
      throw IoError(file,
                    "tensor name " + quoteName(n) + " has an empty component and cannot be an HDF5 path");
    if (n.find_first_of(std::string("/\0", 2)) != std::string::npos)
      throw IoError(file, "tensor name " + quoteName(n) + " holds '/' or NUL and cannot be an HDF5 path");
    if (!names.insert(n).second) throw IoError(file, "tensor " + quoteName(n) + " is listed twice");
    try {
      t.nbytes();
    } catch (const std::overflow_error& e) {
      throw IoError(file, e.what());
    }
  }
  std::vector<std::string> paths;
  for (const auto& t : tensors) {
    for (auto dot = t.name.find('.'); dot != std::string::npos; dot = t.name.find('.', dot + 1))
      if (const auto prefix = t.name.substr(0, dot); names.count(prefix))
        throw IoError(file, "tensor names " + quoteName(prefix) + " and " + quoteName(t.name) +
                                " collide: HDF5 cannot store " + quoteName(prefix) +
                                " as both a dataset and a group");
    std::string path = "/" + t.name;
    std::replace(path.begin(), path.end(), '.', '/');
    paths.push_back(std::move(path));
  }
  return paths;
}

void checkProduced(const std::string& file, const TensorInfo& expected, const TensorData& got) {
  if (got.info.dtype != expected.dtype || got.info.shape != expected.shape ||
      got.bytes.size() != expected.nbytes())
    throw IoError(file, "tensor " + quoteName(expected.name) + ": the producer returned " +
                            std::string(dtypeName(got.info.dtype)) + " " + shapeToString(got.info.shape) +
                            " (" + std::to_string(got.bytes.size()) + " bytes) where " +
                            std::string(dtypeName(expected.dtype)) + " " + shapeToString(expected.shape) +
                            " was announced");
}

// The open output file. Closing it is an HDF5 call, so the destructor (error paths) takes the lock:
// it must never run while the lock is already held.
class OutputFile {
public:
  OutputFile(const std::string& temporary, const std::string& destination) : destination_(destination) {
    h5::Lock lock;
    id_ = H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (id_ >= 0) return;
    // HDF5 says "can't retrieve stat info for file" when the folder was deleted under it: say that.
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(temporary).parent_path(), ec)) {
      H5Eclear2(H5E_DEFAULT);
      throw IoError(destination_,
                    "cannot create the HDF5 file: its folder was removed (No such file or directory)");
    }
    h5::fail(destination_, "cannot create the HDF5 file");
  }
  ~OutputFile() {
    if (id_ < 0) return;
    h5::Lock lock;
    H5Fclose(id_);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  hid_t id() const { return id_; }
  // Flushes everything; a failure here (disk full) must fail the write.
  void close() {
    h5::Lock lock;
    const herr_t status = H5Fclose(id_);
    id_ = H5I_INVALID_HID;
    if (status < 0) h5::fail(destination_, "cannot finish writing the HDF5 file");
  }

private:
  std::string destination_;
  hid_t id_ = H5I_INVALID_HID;
};

void writeDataset(hid_t file, const std::string& h5path, const TensorData& data,
                  const std::string& destination) {
  const std::string where = "tensor " + quoteName(data.info.name);
  h5::Handle space;
  if (data.info.shape.empty()) {
    space = h5::Handle(H5Screate(H5S_SCALAR));
  } else {
    const std::vector<hsize_t> dims(data.info.shape.begin(), data.info.shape.end());
    space = h5::Handle(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  }
  h5::check(space.get(), destination, "cannot create the dataspace of " + where);
  h5::Handle lcpl(h5::check(H5Pcreate(H5P_LINK_CREATE), destination, "cannot create link properties"));
  H5Pset_create_intermediate_group(lcpl.get(), 1);
  const hid_t type = h5::storageType(data.info.dtype);
  h5::Handle dataset(
      h5::check(H5Dcreate2(file, h5path.c_str(), type, space.get(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT),
                destination, "cannot create the dataset of " + where));
  if (!data.bytes.empty() &&
      H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.bytes.data()) < 0)
    h5::fail(destination, "cannot write " + where);
  h5::writeStringAttribute(dataset.get(), "dtype", std::string(dtypeName(data.info.dtype)), destination);
}

} // namespace

void writeHdf5Checkpoint(const std::string& path, const std::vector<TensorInfo>& tensors,
                         const TensorProducer& produce, const std::map<std::string, std::string>& metadata) {
  const std::vector<std::string> h5paths = datasetPaths(path, tensors);
  AtomicFile atomic(path); // owns the temporary: removed unless committed
  {
    OutputFile file(atomic.temporaryPath(), path);
    // HDF5 cannot take a full disk in its stride (a file whose flush failed crashes when closed again):
    // the space is claimed now, on the same file, so the writes below never meet a full disk. The margin
    // covers the superblock, groups, object headers and attributes (~1 KB a dataset, measured).
    std::uint64_t estimate = 64 << 10;
    for (const auto& t : tensors)
      estimate += t.nbytes() + (4 << 10);
    atomic.reserve(estimate);
    {
      h5::Lock lock;
      for (const auto& [key, value] : metadata)
        h5::writeStringAttribute(file.id(), key, value, path);
    }
    for (std::size_t i = 0; i < tensors.size(); ++i) {
      // The producer runs without the lock: it may itself read HDF5 files.
      const TensorData data = produce(tensors[i]);
      checkProduced(path, tensors[i], data);
      h5::Lock lock;
      writeDataset(file.id(), h5paths[i], data, path);
    }
    file.close();
  }
  atomic.commit();
}

} // namespace mg::io
