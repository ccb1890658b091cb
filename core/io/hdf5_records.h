#pragma once
// Internal helpers for small HDF5 files of records (the results file beside a project): a versioned
// file written atomically, numbers and strings as attributes, short lists and matrices as datasets, groups
// listed in the order they were made. Every function expects io's HDF5 Lock to be held (writeVersionedFile
// takes it itself), and reports problems as IoError "file: where: problem".
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/hdf5_util.h"

namespace mg::io::h5 {

// Creates `path` atomically (a temporary beside it, renamed once HDF5 has closed it) with root attributes
// format and version, then lets `fill` write the content. `ordered` is a group-creation property list
// that tracks creation order, for groups whose children must read back in the order they were written.
// Takes the HDF5 lock.
void writeVersionedFile(const std::string& path, const std::string& format, std::int64_t version,
                        const std::function<void(hid_t root, hid_t ordered)>& fill);

// Opens `path` read-only after checking it exists, is HDF5, has format `format` (else "not a Merganser
// <what>") and a version in 1..maxVersion, which is stored in `version`.
Handle openVersionedFile(const std::string& path, const std::string& format, const std::string& what,
                         std::int64_t maxVersion, std::int64_t& version);

// Creates group `name` in `parent`; `properties` may be H5P_DEFAULT or an ordered list.
Handle createGroup(hid_t parent, const std::string& name, hid_t properties, const std::string& file,
                   const std::string& where);
// Opens group `name` of `parent`; throws naming `where` when it is missing or not a group.
Handle openGroup(hid_t parent, const std::string& name, const std::string& file, const std::string& where);
bool hasLink(hid_t group, const std::string& name);

// A group name that holds any text: '/' and '%' escaped, "." and ".." and "" prefixed (keep the exact text
// in an attribute as well).
std::string escapedGroupName(const std::string& text);

// The links of a group in the order they were made (as written), or by name when the writer did not track
// creation order.
std::vector<std::string> childNames(hid_t group, const std::string& file, const std::string& where);

// Scalar number attributes, stored little-endian as int64, uint64 or float64.
template <typename T> void writeNumber(hid_t object, const char* name, T value, const std::string& file);
extern template void writeNumber<std::int64_t>(hid_t, const char*, std::int64_t, const std::string&);
extern template void writeNumber<std::uint64_t>(hid_t, const char*, std::uint64_t, const std::string&);
extern template void writeNumber<double>(hid_t, const char*, double, const std::string&);

// Datasets of numbers with any shape (`dims`, row-major `flat` of their product), and 1-D datasets of
// variable-length UTF-8 strings (as h5py writes a list of str).
template <typename T>
void writeArray(hid_t group, const char* name, const std::vector<T>& flat,
                const std::vector<std::uint64_t>& dims, const std::string& file, const std::string& where);
extern template void writeArray<std::int64_t>(hid_t, const char*, const std::vector<std::int64_t>&,
                                              const std::vector<std::uint64_t>&, const std::string&,
                                              const std::string&);
extern template void writeArray<std::uint64_t>(hid_t, const char*, const std::vector<std::uint64_t>&,
                                               const std::vector<std::uint64_t>&, const std::string&,
                                               const std::string&);
extern template void writeArray<double>(hid_t, const char*, const std::vector<double>&,
                                        const std::vector<std::uint64_t>&, const std::string&,
                                        const std::string&);
extern template void writeArray<float>(hid_t, const char*, const std::vector<float>&,
                                       const std::vector<std::uint64_t>&, const std::string&,
                                       const std::string&);
void writeStrings(hid_t group, const char* name, const std::vector<std::string>& values,
                  const std::string& file, const std::string& where);

// Reads what the functions above write; `where` names the place for messages ("matrix 2").
struct RecordReader {
  std::string file;

  Handle openAttribute(hid_t object, const char* name, const std::string& where) const;
  template <typename T> T number(hid_t object, const char* name, const std::string& where) const;
  std::string text(hid_t object, const char* name, const std::string& where) const;
  // A numeric dataset of `rank` dimensions (integers for integer T, integers or floats for float T); its
  // shape goes to `dims`.
  template <typename T>
  std::vector<T> array(hid_t group, const char* name, int rank, std::vector<std::uint64_t>& dims,
                       const std::string& where) const;
  // A 1-D numeric dataset.
  template <typename T> std::vector<T> list(hid_t group, const char* name, const std::string& where) const {
    std::vector<std::uint64_t> dims;
    return array<T>(group, name, 1, dims, where);
  }
  std::vector<std::string> strings(hid_t group, const char* name, const std::string& where) const;
};

extern template std::int64_t RecordReader::number<std::int64_t>(hid_t, const char*, const std::string&) const;
extern template std::uint64_t RecordReader::number<std::uint64_t>(hid_t, const char*,
                                                                  const std::string&) const;
extern template double RecordReader::number<double>(hid_t, const char*, const std::string&) const;
extern template std::vector<std::int64_t> RecordReader::array<std::int64_t>(hid_t, const char*, int,
                                                                            std::vector<std::uint64_t>&,
                                                                            const std::string&) const;
extern template std::vector<std::uint64_t> RecordReader::array<std::uint64_t>(hid_t, const char*, int,
                                                                              std::vector<std::uint64_t>&,
                                                                              const std::string&) const;
extern template std::vector<double>
RecordReader::array<double>(hid_t, const char*, int, std::vector<std::uint64_t>&, const std::string&) const;
extern template std::vector<float>
RecordReader::array<float>(hid_t, const char*, int, std::vector<std::uint64_t>&, const std::string&) const;

} // namespace mg::io::h5
