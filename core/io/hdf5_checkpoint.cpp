// Reading HDF5 checkpoints: every dataset of the file is a tensor named by its path with '/' -> '.'.
#include "io/hdf5_checkpoint.h"

#include "io/hdf5_util.h"
#include "io/io_error.h"
#include "io/strict_json.h"

#include <algorithm>
#include <filesystem>
#include <type_traits>

namespace mg::io {

static_assert(std::is_same_v<hid_t, std::int64_t>, "Hdf5Checkpoint stores a hid_t as std::int64_t");

namespace {

herr_t collectDataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->push_back(name);
  return 0;
}

std::vector<std::int64_t> readShape(hid_t dataset, const std::string& file, const std::string& where) {
  h5::Handle space(h5::check(H5Dget_space(dataset), file, "cannot read the shape of " + where));
  switch (H5Sget_simple_extent_type(space.get())) {
  case H5S_SCALAR: return {};
  case H5S_SIMPLE: break;
  default: throw IoError(file, where + " has no data (null dataspace)");
  }
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank < 0 || H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    h5::fail(file, "cannot read the shape of " + where);
  std::vector<std::int64_t> shape;
  for (hsize_t d : dims) {
    if (d > static_cast<hsize_t>(INT64_MAX)) throw IoError(file, where + " has a dimension too large");
    shape.push_back(static_cast<std::int64_t>(d));
  }
  return shape;
}

// The dtype attribute names types HDF5 lacks; without it (files from h5py) the stored type decides.
DType readDType(hid_t dataset, const std::string& file, const std::string& where) {
  h5::Handle type(h5::check(H5Dget_type(dataset), file, "cannot read the type of " + where));
  const htri_t hasAttribute = H5Aexists(dataset, "dtype");
  if (hasAttribute < 0) h5::fail(file, "cannot read the attributes of " + where);
  if (hasAttribute == 0) {
    if (const auto t = h5::inferDType(type.get())) return *t;
    throw IoError(file, where + " has an unsupported element type: " + h5::describeType(type.get()));
  }
  h5::Handle attr(
      h5::check(H5Aopen(dataset, "dtype", H5P_DEFAULT), file, "cannot open the dtype attribute of " + where));
  const auto name = h5::readStringAttribute(attr.get(), file);
  const auto t = name ? dtypeFromName(*name) : std::nullopt;
  if (!t)
    throw IoError(file, where + " has an invalid dtype attribute" + (name ? " " + quoteName(*name) : ""));
  if (!h5::storesAs(type.get(), *t))
    throw IoError(file, where + " is stored as " + h5::describeType(type.get()) +
                            " but its dtype attribute says " + std::string(dtypeName(*t)));
  return *t;
}

std::map<std::string, std::string> readMetadata(hid_t file, const std::string& path) {
  std::map<std::string, std::string> metadata;
  H5O_info_t info;
  if (H5Oget_info2(file, &info, H5O_INFO_NUM_ATTRS) < 0) h5::fail(path, "cannot read the root attributes");
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    h5::Handle attr(
        h5::check(H5Aopen_by_idx(file, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT), path,
                  "cannot open a root attribute"));
    const ssize_t length = H5Aget_name(attr.get(), 0, nullptr);
    if (length < 0) h5::fail(path, "cannot read a root attribute's name");
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    H5Aget_name(attr.get(), name.size(), name.data());
    name.resize(static_cast<std::size_t>(length));
    // Other tools put numbers and arrays there too; metadata is string -> string, so those are skipped.
    if (auto value = h5::readStringAttribute(attr.get(), path)) metadata[name] = std::move(*value);
  }
  return metadata;
}

} // namespace

Hdf5Checkpoint::Hdf5Checkpoint(std::string path) : path_(std::move(path)) {
  std::error_code ec;
  const auto status = std::filesystem::status(path_, ec);
  if (!std::filesystem::exists(status)) throw IoError(path_, "no such file");
  if (std::filesystem::is_directory(status)) throw IoError(path_, "is a folder, not an HDF5 file");
  const std::uintmax_t fileBytes = std::filesystem::file_size(path_, ec);

  h5::Lock lock;
  const htri_t isHdf5 = H5Fis_hdf5(path_.c_str());
  if (isHdf5 < 0) h5::fail(path_, "cannot read the file");
  if (isHdf5 == 0) throw IoError(path_, "not an HDF5 file");
  h5::readInChildFirst(path_);
  // Default access properties: HDF5 refuses to open one file twice with different locking flags, so
  // every opener in the process must agree (HDF5_USE_FILE_LOCKING=FALSE turns locking off for all).
  h5::Handle file(
      h5::check(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path_, "cannot open the HDF5 file"));

  metadata_ = readMetadata(file.get(), path_);
  std::vector<std::string> datasets;
  if (H5Ovisit2(file.get(), H5_INDEX_NAME, H5_ITER_INC, collectDataset, &datasets, H5O_INFO_BASIC) < 0)
    h5::fail(path_, "cannot list the datasets");

  for (const auto& relative : datasets) {
    const std::string h5path = "/" + relative;
    std::string name = relative;
    std::replace(name.begin(), name.end(), '/', '.');
    const auto [it, fresh] = datasetPath_.emplace(name, h5path);
    if (!fresh)
      throw IoError(path_, "datasets " + quoteName(it->second) + " and " + quoteName(h5path) +
                               " both map to tensor " + quoteName(name));

    const std::string where = "dataset " + quoteName(h5path);
    h5::Handle dataset(
        h5::check(H5Dopen2(file.get(), h5path.c_str(), H5P_DEFAULT), path_, "cannot open " + where));
    TensorInfo info{name, readDType(dataset.get(), path_, where), readShape(dataset.get(), path_, where)};
    try {
      info.nbytes();
    } catch (const std::overflow_error&) {
      throw IoError(path_, where + " is too large: " + shapeToString(info.shape));
    }
    // Sizes come from the file and are not trusted with memory: deflate, the strongest filter HDF5 files
    // here use, expands at most 1032-fold, so no dataset of a real file exceeds that many times the file.
    if (info.nbytes() > std::max<std::uintmax_t>(fileBytes, 4096) * 1032)
      throw IoError(path_, where + " claims " + shapeToString(info.shape) + " (" +
                               std::to_string(info.nbytes()) + " bytes), more than a " +
                               std::to_string(fileBytes) + "-byte file can hold");
    tensors_.push_back(std::move(info));
  }
  std::sort(tensors_.begin(), tensors_.end(),
            [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
  file_ = file.release();
}

Hdf5Checkpoint::~Hdf5Checkpoint() {
  if (file_ < 0) return;
  h5::Lock lock;
  H5Fclose(file_);
}

TensorData Hdf5Checkpoint::load(const std::string& name) const {
  const TensorInfo* info = find(name);
  if (!info) throw IoError(path_, "no tensor " + quoteName(name));
  TensorData out{*info, TensorBytes(info->nbytes())};
  if (out.bytes.empty()) return out;

  const std::string& h5path = datasetPath_.at(name);
  h5::Lock lock;
  h5::Handle dataset(h5::check(H5Dopen2(file_, h5path.c_str(), H5P_DEFAULT), path_,
                               "cannot open dataset " + quoteName(h5path)));
  h5::Handle type(
      h5::check(H5Dget_type(dataset.get()), path_, "cannot read the type of " + quoteName(h5path)));
  // Reading with the stored type itself, only made little-endian, gives its exact bytes: no value
  // conversion (a U16-stored BF16 must not become a number).
  h5::Handle memory(h5::check(H5Tcopy(type.get()), path_, "cannot copy a datatype"));
  if (H5Tget_size(memory.get()) > 1 && H5Tset_order(memory.get(), H5T_ORDER_LE) < 0)
    h5::fail(path_, "cannot read tensor " + quoteName(name));
  if (H5Dread(dataset.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.bytes.data()) < 0)
    h5::fail(path_, "cannot read tensor " + quoteName(name));
  return out;
}

} // namespace mg::io
