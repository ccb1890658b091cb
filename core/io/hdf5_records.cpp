// Small HDF5 record files (layout conventions in hdf5_records.h).
#include "io/hdf5_records.h"

#include <filesystem>
#include <type_traits>
#include <vector>

#include "io/atomic_file.h"
#include "io/io_error.h"

namespace mg::io::h5 {

namespace {

template <typename T> hid_t nativeType() {
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, float>) return H5T_NATIVE_FLOAT;
}

template <typename T> hid_t storedType() {
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_STD_I64LE;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_STD_U64LE;
  if constexpr (std::is_same_v<T, double>) return H5T_IEEE_F64LE;
  if constexpr (std::is_same_v<T, float>) return H5T_IEEE_F32LE;
}

// Integers read into any T (HDF5 converts), floats only into floating-point T: a float never silently
// becomes an integer.
template <typename T> bool readableAs(H5T_class_t stored) {
  return stored == H5T_INTEGER || (stored == H5T_FLOAT && std::is_floating_point_v<T>);
}

herr_t collectName(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

Handle variableStringType(const std::string& file) {
  Handle type(check(H5Tcopy(H5T_C_S1), file, "cannot create a string type"));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

} // namespace

void writeVersionedFile(const std::string& path, const std::string& format, std::int64_t version,
                        const std::function<void(hid_t root, hid_t ordered)>& fill) {
  // Record files are small: HDF5 builds the file in memory (the core driver, no backing file) and
  // AtomicFile writes its image. HDF5 itself never meets the disk, so a full disk is AtomicFile's clean
  // error, never a failed HDF5 flush (which leaves the library unable to close the file).
  std::vector<unsigned char> image;
  {
    Lock lock;
    Handle access(check(H5Pcreate(H5P_FILE_ACCESS), path, "cannot create file access properties"));
    if (H5Pset_fapl_core(access.get(), 1 << 20, /*backing_store=*/0) < 0)
      fail(path, "cannot build the HDF5 file in memory");
    Handle fileId(check(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), path,
                        "cannot create the HDF5 file"));
    Handle ordered(check(H5Pcreate(H5P_GROUP_CREATE), path, "cannot create group properties"));
    H5Pset_link_creation_order(ordered.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    writeStringAttribute(fileId.get(), "format", format, path);
    writeNumber<std::int64_t>(fileId.get(), "version", version, path);
    fill(fileId.get(), ordered.get());
    if (H5Fflush(fileId.get(), H5F_SCOPE_GLOBAL) < 0) fail(path, "cannot finish the HDF5 file");
    const ssize_t size = H5Fget_file_image(fileId.get(), nullptr, 0);
    if (size < 0) fail(path, "cannot take the HDF5 file's image");
    image.resize(static_cast<std::size_t>(size));
    if (H5Fget_file_image(fileId.get(), image.data(), image.size()) != size)
      fail(path, "cannot take the HDF5 file's image");
  }
  AtomicFile atomic(path); // removes the temporary unless committed
  atomic.reserve(image.size());
  atomic.write(image.data(), image.size());
  atomic.commit();
}

Handle openVersionedFile(const std::string& path, const std::string& format, const std::string& what,
                         std::int64_t maxVersion, std::int64_t& version) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw IoError(path, "no such file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw IoError(path, "not an HDF5 file");
  readInChildFirst(path);
  Handle file(check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path, "cannot open the HDF5 file"));
  const RecordReader read{path};
  const std::string root = "the file";
  if (H5Aexists(file.get(), "format") <= 0 || read.text(file.get(), "format", root) != format)
    throw IoError(path, "not a Merganser " + what + " (format is not '" + format + "')");
  version = read.number<std::int64_t>(file.get(), "version", root);
  if (version < 1 || version > maxVersion)
    throw IoError(path, what + " version " + std::to_string(version) + " is not supported (only 1 to " +
                            std::to_string(maxVersion) + ")");
  return file;
}

Handle createGroup(hid_t parent, const std::string& name, hid_t properties, const std::string& file,
                   const std::string& where) {
  return Handle(check(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, properties, H5P_DEFAULT), file,
                      "cannot create the group of " + where));
}

Handle openGroup(hid_t parent, const std::string& name, const std::string& file, const std::string& where) {
  if (!hasLink(parent, name)) throw IoError(file, where + " is missing (no group '" + name + "')");
  return Handle(
      check(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), file, where + ": '" + name + "' is not a group"));
}

bool hasLink(hid_t group, const std::string& name) {
  return H5Lexists(group, name.c_str(), H5P_DEFAULT) > 0;
}

std::string escapedGroupName(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '/' || c == '%')
      out += c == '/' ? "%2F" : "%25";
    else
      out += c;
  }
  if (out.empty() || out == "." || out == "..") out = "%2E" + out;
  return out;
}

std::vector<std::string> childNames(hid_t group, const std::string& file, const std::string& where) {
  std::vector<std::string> names;
  if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collectName, &names) < 0) {
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    if (H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, collectName, &names) < 0)
      fail(file, where + ": cannot list its groups");
  }
  return names;
}

template <typename T> void writeNumber(hid_t object, const char* name, T value, const std::string& file) {
  Handle space(check(H5Screate(H5S_SCALAR), file, "cannot create a dataspace"));
  Handle attr(check(H5Acreate2(object, name, storedType<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT), file,
                    std::string("cannot create attribute '") + name + "'"));
  if (H5Awrite(attr.get(), nativeType<T>(), &value) < 0)
    fail(file, std::string("cannot write attribute '") + name + "'");
}
template void writeNumber<std::int64_t>(hid_t, const char*, std::int64_t, const std::string&);
template void writeNumber<std::uint64_t>(hid_t, const char*, std::uint64_t, const std::string&);
template void writeNumber<double>(hid_t, const char*, double, const std::string&);

template <typename T>
void writeArray(hid_t group, const char* name, const std::vector<T>& flat,
                const std::vector<std::uint64_t>& dims, const std::string& file, const std::string& where) {
  std::vector<hsize_t> shape(dims.begin(), dims.end());
  std::uint64_t count = 1;
  for (const auto d : dims)
    count *= d;
  if (count != flat.size())
    throw IoError(file, where + ": '" + name + "' has " + std::to_string(flat.size()) + " values for " +
                            std::to_string(count) + " places");
  Handle space(
      check(H5Screate_simple(int(shape.size()), shape.data(), nullptr), file, "cannot create a dataspace"));
  Handle dataset(
      check(H5Dcreate2(group, name, storedType<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            file, where + ": cannot create dataset '" + name + "'"));
  if (!flat.empty() &&
      H5Dwrite(dataset.get(), nativeType<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()) < 0)
    fail(file, where + ": cannot write dataset '" + name + "'");
}
template void writeArray<std::int64_t>(hid_t, const char*, const std::vector<std::int64_t>&,
                                       const std::vector<std::uint64_t>&, const std::string&,
                                       const std::string&);
template void writeArray<std::uint64_t>(hid_t, const char*, const std::vector<std::uint64_t>&,
                                        const std::vector<std::uint64_t>&, const std::string&,
                                        const std::string&);
template void writeArray<double>(hid_t, const char*, const std::vector<double>&,
                                 const std::vector<std::uint64_t>&, const std::string&, const std::string&);
template void writeArray<float>(hid_t, const char*, const std::vector<float>&,
                                const std::vector<std::uint64_t>&, const std::string&, const std::string&);

void writeStrings(hid_t group, const char* name, const std::vector<std::string>& values,
                  const std::string& file, const std::string& where) {
  std::vector<const char*> pointers;
  for (const auto& value : values) {
    // HDF5 strings are NUL-terminated: an embedded NUL would silently cut the value.
    if (value.find('\0') != std::string::npos)
      throw IoError(file,
                    where + ": a value of '" + name + "' holds a NUL character, which HDF5 cannot store");
    pointers.push_back(value.c_str());
  }
  const auto type = variableStringType(file);
  const hsize_t dims[1] = {values.size()};
  Handle space(check(H5Screate_simple(1, dims, nullptr), file, "cannot create a dataspace"));
  Handle dataset(
      check(H5Dcreate2(group, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), file,
            where + ": cannot create dataset '" + name + "'"));
  if (!pointers.empty() &&
      H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0)
    fail(file, where + ": cannot write dataset '" + name + "'");
}

Handle RecordReader::openAttribute(hid_t object, const char* name, const std::string& where) const {
  if (H5Aexists(object, name) <= 0) throw IoError(file, where + " has no attribute '" + name + "'");
  return Handle(
      check(H5Aopen(object, name, H5P_DEFAULT), file, where + ": cannot open attribute '" + name + "'"));
}

template <typename T> T RecordReader::number(hid_t object, const char* name, const std::string& where) const {
  const auto attr = openAttribute(object, name, where);
  Handle type(check(H5Aget_type(attr.get()), file, "cannot read an attribute's type"));
  Handle space(check(H5Aget_space(attr.get()), file, "cannot read an attribute's shape"));
  if (!readableAs<T>(H5Tget_class(type.get())) || H5Sget_simple_extent_npoints(space.get()) != 1)
    throw IoError(file,
                  where + ": attribute '" + name + "' is not a number (" + describeType(type.get()) + ")");
  T value{};
  if (H5Aread(attr.get(), nativeType<T>(), &value) < 0)
    fail(file, where + ": cannot read attribute '" + name + "'");
  return value;
}
template std::int64_t RecordReader::number<std::int64_t>(hid_t, const char*, const std::string&) const;
template std::uint64_t RecordReader::number<std::uint64_t>(hid_t, const char*, const std::string&) const;
template double RecordReader::number<double>(hid_t, const char*, const std::string&) const;

std::string RecordReader::text(hid_t object, const char* name, const std::string& where) const {
  const auto attr = openAttribute(object, name, where);
  const auto value = readStringAttribute(attr.get(), file);
  if (!value) throw IoError(file, where + ": attribute '" + name + "' is not a string");
  return *value;
}

template <typename T>
std::vector<T> RecordReader::array(hid_t group, const char* name, int rank, std::vector<std::uint64_t>& dims,
                                   const std::string& where) const {
  if (!hasLink(group, name)) throw IoError(file, where + " has no dataset '" + name + "'");
  Handle dataset(
      check(H5Dopen2(group, name, H5P_DEFAULT), file, where + ": cannot open dataset '" + name + "'"));
  Handle type(check(H5Dget_type(dataset.get()), file, "cannot read a dataset's type"));
  Handle space(check(H5Dget_space(dataset.get()), file, "cannot read a dataset's shape"));
  std::vector<hsize_t> shape(std::size_t(std::max(rank, 1)), 0);
  if (!readableAs<T>(H5Tget_class(type.get())) || H5Sget_simple_extent_ndims(space.get()) != rank ||
      H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr) != rank)
    throw IoError(file, where + ": '" + name + "' must be a " + std::to_string(rank) + "-D array of " +
                            (std::is_floating_point_v<T> ? "numbers" : "integers") + " (it is " +
                            describeType(type.get()) + ")");
  dims.assign(shape.begin(), shape.end());
  std::vector<T> flat(std::size_t(H5Sget_simple_extent_npoints(space.get())));
  if (!flat.empty() &&
      H5Dread(dataset.get(), nativeType<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()) < 0)
    fail(file, where + ": cannot read '" + name + "'");
  return flat;
}
template std::vector<std::int64_t> RecordReader::array<std::int64_t>(hid_t, const char*, int,
                                                                     std::vector<std::uint64_t>&,
                                                                     const std::string&) const;
template std::vector<std::uint64_t> RecordReader::array<std::uint64_t>(hid_t, const char*, int,
                                                                       std::vector<std::uint64_t>&,
                                                                       const std::string&) const;
template std::vector<double> RecordReader::array<double>(hid_t, const char*, int, std::vector<std::uint64_t>&,
                                                         const std::string&) const;
template std::vector<float> RecordReader::array<float>(hid_t, const char*, int, std::vector<std::uint64_t>&,
                                                       const std::string&) const;

std::vector<std::string> RecordReader::strings(hid_t group, const char* name,
                                               const std::string& where) const {
  if (!hasLink(group, name)) throw IoError(file, where + " has no dataset '" + name + "'");
  Handle dataset(
      check(H5Dopen2(group, name, H5P_DEFAULT), file, where + ": cannot open dataset '" + name + "'"));
  Handle type(check(H5Dget_type(dataset.get()), file, "cannot read a dataset's type"));
  Handle space(check(H5Dget_space(dataset.get()), file, "cannot read a dataset's shape"));
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0 ||
      H5Sget_simple_extent_ndims(space.get()) != 1)
    throw IoError(file, where + ": '" + name + "' must be a list of variable-length strings");
  std::vector<char*> pointers(std::size_t(H5Sget_simple_extent_npoints(space.get())), nullptr);
  if (pointers.empty()) return {};
  const auto memory = variableStringType(file);
  H5Tset_cset(memory.get(), H5Tget_cset(type.get()));
  if (H5Dread(dataset.get(), memory.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0)
    fail(file, where + ": cannot read '" + name + "'");
  std::vector<std::string> values;
  for (const char* p : pointers)
    values.emplace_back(p ? p : "");
  H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, pointers.data());
  return values;
}

} // namespace mg::io::h5
