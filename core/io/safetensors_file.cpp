#include "io/safetensors_file.h"

#include "io/io_error.h"
#include "io/strict_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <system_error>
#include <tuple>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mg::io {
namespace {

using nlohmann::json;

// The reference loader's limit: a larger header is an attack, not a model.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

std::string errnoText(int err) {
  return std::system_category().message(err);
}

// A JSON number that is a non-negative integer, or nullopt (negative, fractional, string, ...).
std::optional<std::uint64_t> nonNegativeInteger(const json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(v.get<std::int64_t>());
  return std::nullopt;
}

std::string offsetsText(std::uint64_t begin, std::uint64_t end) {
  return "data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

struct Entry {
  TensorInfo info;
  std::uint64_t begin = 0, end = 0;
};

const json& requireField(const std::string& path, const std::string& tensor, const json& entry,
                         const char* field) {
  const auto it = entry.find(field);
  if (it == entry.end())
    throw IoError(path, "tensor " + quoteName(tensor) + ": missing field '" + field + "'");
  return *it;
}

// One tensor entry of the header, checked on its own (the layout checks need all entries).
Entry parseEntry(const std::string& path, const std::string& name, const json& value) {
  const std::string where = "tensor " + quoteName(name) + ": ";
  if (!value.is_object()) throw IoError(path, where + "entry is not a JSON object");
  Entry e;
  e.info.name = name;

  const json& dtype = requireField(path, name, value, "dtype");
  if (!dtype.is_string()) throw IoError(path, where + "dtype is not a string");
  const auto parsedType = dtypeFromName(dtype.get_ref<const std::string&>());
  if (!parsedType)
    throw IoError(path, where + "unknown dtype " + quoteName(dtype.get_ref<const std::string&>()));
  e.info.dtype = *parsedType;

  const json& shape = requireField(path, name, value, "shape");
  if (!shape.is_array()) throw IoError(path, where + "shape is not an array");
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const auto d = nonNegativeInteger(shape[i]);
    if (!d || *d > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw IoError(path, where + "shape entry " + std::to_string(i) + " is not a non-negative integer");
    e.info.shape.push_back(static_cast<std::int64_t>(*d));
  }

  const json& offsets = requireField(path, name, value, "data_offsets");
  const auto begin =
      offsets.is_array() && offsets.size() == 2 ? nonNegativeInteger(offsets[0]) : std::nullopt;
  const auto end = offsets.is_array() && offsets.size() == 2 ? nonNegativeInteger(offsets[1]) : std::nullopt;
  if (!begin || !end) throw IoError(path, where + "data_offsets must be two non-negative integers");
  e.begin = *begin;
  e.end = *end;
  if (e.end < e.begin) throw IoError(path, where + offsetsText(e.begin, e.end) + " are reversed");

  const auto numel = checkedNumel(e.info.shape);
  const std::uint64_t elementSize = dtypeSize(e.info.dtype);
  if (!numel || *numel > std::numeric_limits<std::uint64_t>::max() / elementSize)
    throw IoError(path, where + "shape " + shapeToString(e.info.shape) + " overflows 64-bit byte counts");
  const std::uint64_t nbytes = *numel * elementSize;
  if (nbytes != e.end - e.begin)
    throw IoError(path, where + "shape " + shapeToString(e.info.shape) + " of " +
                            std::string(dtypeName(e.info.dtype)) + " needs " + std::to_string(nbytes) +
                            " bytes but " + offsetsText(e.begin, e.end) + " span " +
                            std::to_string(e.end - e.begin));
  return e;
}

std::map<std::string, std::string> parseMetadata(const std::string& path, const json& value) {
  if (!value.is_object()) throw IoError(path, "__metadata__ is not a JSON object");
  std::map<std::string, std::string> out;
  for (const auto& [key, v] : value.items()) {
    if (!v.is_string()) throw IoError(path, "__metadata__ value for " + quoteName(key) + " is not a string");
    out.emplace(key, v.get<std::string>());
  }
  return out;
}

// Tensors must tile the data buffer exactly: sorted by (begin, end), each starts where the previous
// ended, the first at 0. Returns where the last one ends.
std::uint64_t checkContiguous(const std::string& path, std::vector<Entry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.begin, a.end, a.info.name) < std::tie(b.begin, b.end, b.info.name);
  });
  std::uint64_t expected = 0;
  for (const Entry& e : entries) {
    const std::string where = "tensor " + quoteName(e.info.name) + ": " + offsetsText(e.begin, e.end);
    if (e.begin > expected)
      throw IoError(path, where + " leave a gap of " + std::to_string(e.begin - expected) +
                              " bytes after data offset " + std::to_string(expected));
    if (e.begin < expected)
      throw IoError(path, where + " overlap the previous tensor, which ends at " + std::to_string(expected));
    expected = e.end;
  }
  return expected;
}

} // namespace

SafetensorsFile::SafetensorsFile(std::string path) : path_(std::move(path)) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer (a hang, not an error).
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    throw IoError(path_, "cannot open: " + errnoText(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw IoError(path_, "not a regular file");
  }
  fileSize_ = static_cast<std::uint64_t>(st.st_size);
  if (fileSize_ < 8) {
    ::close(fd);
    throw IoError(path_,
                  "file is " + std::to_string(fileSize_) + " bytes, too short for the 8-byte header length");
  }
  // The header is parsed in place from a mapping; tensor data is read with pread (load()), which copies
  // straight from the page cache: no page faults on a mapping, no pages to drop afterwards, and a short
  // read (the file truncated by someone else) is an error instead of SIGBUS.
  void* mapped = ::mmap(nullptr, fileSize_, PROT_READ, MAP_PRIVATE, fd, 0);
  const int mapErr = errno;
  if (mapped == MAP_FAILED) {
    ::close(fd);
    throw IoError(path_, "cannot map into memory: " + errnoText(mapErr));
  }
  map_ = static_cast<const std::byte*>(mapped);
  try {
    parseHeader();
  } catch (...) {
    ::munmap(mapped, fileSize_);
    ::close(fd);
    throw;
  }
  ::munmap(mapped, fileSize_);
  map_ = nullptr;
  fd_ = fd;
  // Tensors are mostly read in file order: a larger read-ahead window for cold files.
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

SafetensorsFile::~SafetensorsFile() {
  if (fd_ >= 0) ::close(fd_);
}

void SafetensorsFile::parseHeader() {
  std::uint64_t headerBytes;
  std::memcpy(&headerBytes, map_, 8); // little-endian on every supported host
  // Both checks come before anything is sized by the header length: the header is read in place.
  if (headerBytes > fileSize_ - 8)
    throw IoError(path_, "header length " + std::to_string(headerBytes) + " exceeds the file size " +
                             std::to_string(fileSize_));
  if (headerBytes > kMaxHeaderBytes)
    throw IoError(path_, "header length " + std::to_string(headerBytes) + " exceeds the limit of " +
                             std::to_string(kMaxHeaderBytes) + " bytes");
  dataStart_ = 8 + headerBytes;

  const json header = parseStrictJson(
      std::string_view(reinterpret_cast<const char*>(map_ + 8), static_cast<std::size_t>(headerBytes)), path_,
      "header");
  if (!header.is_object()) throw IoError(path_, "header is not a JSON object");

  std::vector<Entry> entries;
  entries.reserve(header.size());
  for (const auto& [key, value] : header.items()) {
    if (key == "__metadata__")
      metadata_ = parseMetadata(path_, value);
    else
      entries.push_back(parseEntry(path_, key, value));
  }

  const std::uint64_t dataEnd = checkContiguous(path_, entries);
  const std::uint64_t available = fileSize_ - dataStart_;
  if (dataEnd < available)
    throw IoError(path_, std::to_string(available - dataEnd) +
                             " trailing bytes after the last tensor (data ends at " +
                             std::to_string(dataStart_ + dataEnd) + ", the file is " +
                             std::to_string(fileSize_) + " bytes)");
  if (dataEnd > available)
    throw IoError(path_, "file is truncated: the tensors need " + std::to_string(dataEnd) +
                             " data bytes but only " + std::to_string(available) + " follow the header");

  tensors_.reserve(entries.size());
  for (Entry& e : entries) {
    extents_.emplace(e.info.name, Extent{e.begin, e.end});
    tensors_.push_back(std::move(e.info));
  }
  std::sort(tensors_.begin(), tensors_.end(),
            [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
}

std::uint64_t SafetensorsFile::fileOffset(const std::string& name) const {
  const auto it = extents_.find(name);
  if (it == extents_.end()) throw IoError(path_, "no tensor named " + quoteName(name));
  return dataStart_ + it->second.begin;
}

TensorData SafetensorsFile::load(const std::string& name) const {
  const auto it = extents_.find(name);
  if (it == extents_.end()) throw IoError(path_, "no tensor named " + quoteName(name));
  TensorData out;
  out.info = *find(name);
  const std::uint64_t size = it->second.end - it->second.begin;
  out.bytes.resize(size);
  if (size == 0) return out;

  // Header validation proved the range lies inside the file as it was opened.
  auto* dst = reinterpret_cast<char*>(out.bytes.data());
  std::uint64_t done = 0;
  while (done < size) {
    const auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(size - done, 1 << 30));
    const ssize_t n =
        ::pread(fd_, dst + done, chunk, static_cast<off_t>(dataStart_ + it->second.begin + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      throw IoError(path_,
                    "tensor " + quoteName(name) + ": cannot read " + std::to_string(size) +
                        " bytes: " + (n == 0 ? std::string("the file was truncated") : errnoText(err)));
    }
    done += static_cast<std::uint64_t>(n);
  }
  return out;
}

} // namespace mg::io
