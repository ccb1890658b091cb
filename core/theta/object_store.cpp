#include "theta/object_store.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "io/atomic_file.h"
#include "io/dtype.h"
#include "io/io_error.h"
#include "io/git_command.h"
#include "theta/object_id.h"

namespace fs = std::filesystem;

namespace mg::theta {

namespace {

// A sparse object: this magic, the base's id (32 bytes of hex), the chain length (u32), the element size
// (u32), the count of changed elements (u64), their indices (u64 each, ascending) and their new values.
constexpr char kSparseMagic[8] = {'M', 'G', 'T', 'H', 'S', 'P', '1', '\0'};
constexpr std::size_t kSparseHeader = 8 + 32 + 4 + 4 + 8;

std::size_t elementSize(const std::string& dtype) {
  const auto parsed = io::dtypeFromName(dtype);
  return parsed ? io::dtypeSize(*parsed) : 1; // "raw": bytes
}

std::vector<std::byte> readWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw io::IoError(path,
                      "missing theta object (in a clone, `merganser-cli theta install` reads its origin's)");
  std::vector<std::byte> bytes(fs::file_size(path));
  in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!in) throw io::IoError(path, "theta object could not be read");
  return bytes;
}

template <typename T> T readAt(const std::vector<std::byte>& bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

} // namespace

ObjectStore::ObjectStore(std::string root) : root_(std::move(root)) {
  std::ifstream list(fs::path(root_) / "alternates");
  for (std::string line; std::getline(list, line);)
    if (!line.empty() && line != root_) alternates_.push_back(line);
}

void ObjectStore::addAlternate(const std::string& root) {
  if (root == root_ || std::find(alternates_.begin(), alternates_.end(), root) != alternates_.end()) return;
  alternates_.push_back(root);
  std::string text;
  for (const std::string& alternate : alternates_)
    text += alternate + "\n";
  std::error_code ec;
  fs::create_directories(root_, ec);
  io::writeFileAtomically((fs::path(root_) / "alternates").string(), text);
}

std::optional<ObjectStore::Location> ObjectStore::locate(const std::string& id) const {
  std::error_code ec;
  auto in = [&](const std::string& root) -> std::optional<Location> {
    const fs::path full = fs::path(root) / "objects" / id.substr(0, 2) / id.substr(2);
    if (fs::exists(full, ec)) return Location{full.string(), false};
    const fs::path sparse = full.string() + ".sparse";
    if (fs::exists(sparse, ec)) return Location{sparse.string(), true};
    return std::nullopt;
  };
  if (auto here = in(root_)) return here;
  for (const std::string& alternate : alternates_)
    if (auto there = in(alternate)) return there;
  return std::nullopt;
}

ObjectStore ObjectStore::forRepository(const std::string& folder) {
  const io::GitResult found = io::runGit({"rev-parse", "--git-common-dir"}, folder);
  std::string gitDir = found.output.substr(0, found.output.find('\n'));
  if (found.status != 0 || gitDir.empty())
    throw io::IoError(folder.empty() ? fs::current_path().string() : folder, "not inside a git repository");
  fs::path path(gitDir);
  if (path.is_relative()) path = fs::absolute(fs::path(folder.empty() ? "." : folder) / path);
  return ObjectStore((path.lexically_normal() / "theta").string());
}

std::string ObjectStore::temporaryFolder() const {
  const fs::path folder = fs::path(root_) / "tmp";
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw io::IoError(folder.string(), "cannot create folder: " + ec.message());
  return folder.string();
}

std::string ObjectStore::fullPath(const std::string& id) const {
  return (fs::path(root_) / "objects" / id.substr(0, 2) / id.substr(2)).string();
}

std::string ObjectStore::sparsePath(const std::string& id) const {
  return fullPath(id) + ".sparse";
}

bool ObjectStore::has(const std::string& id) const {
  return locate(id).has_value();
}

std::uint64_t ObjectStore::storedSize(const std::string& id) const {
  std::error_code ec;
  const auto found = locate(id);
  const auto size = found ? fs::file_size(found->path, ec) : 0;
  return ec ? 0 : size;
}

int ObjectStore::chainLength(const std::string& id) const {
  const auto found = locate(id);
  if (!found || !found->sparse) return 0;
  std::ifstream in(found->path, std::ios::binary);
  if (!in) return kMaxChain;
  char header[kSparseHeader];
  if (!in.read(header, sizeof header)) return kMaxChain; // unreadable: never build on it
  std::uint32_t chain;
  std::memcpy(&chain, header + 40, sizeof chain);
  return int(chain);
}

std::string ObjectStore::put(const std::string& dtype, const std::vector<std::int64_t>& shape,
                             const std::byte* bytes, std::size_t size, const StoredTensor* previous) {
  const std::string id = objectId(dtype, shape, bytes, size);
  if (has(id)) return id;
  std::error_code ec;
  fs::create_directories(fs::path(fullPath(id)).parent_path(), ec);
  if (ec)
    throw io::IoError(fs::path(fullPath(id)).parent_path().string(), "cannot create folder: " + ec.message());

  // A sparse object when the previous version has the same layout, is in the store, and the changed
  // elements take less room than the whole tensor.
  if (previous && previous->dtype == dtype && previous->shape == shape && previous->id != id &&
      has(previous->id)) {
    const int chain = chainLength(previous->id) + 1;
    const std::size_t element = elementSize(dtype);
    if (chain <= kMaxChain && size % element == 0 && !mostlyChanged(previous->id, bytes, size, element)) {
      const std::vector<std::byte> before = get(*previous);
      if (before.size() == size) {
        std::vector<std::uint64_t> changed;
        const std::size_t budget = size / (sizeof(std::uint64_t) + element); // beyond it, full is smaller
        for (std::size_t i = 0; i < size / element && changed.size() <= budget; ++i)
          if (std::memcmp(before.data() + i * element, bytes + i * element, element) != 0)
            changed.push_back(i);
        if (kSparseHeader + changed.size() * (sizeof(std::uint64_t) + element) < size) {
          io::AtomicFile file(sparsePath(id));
          const std::uint32_t chain32 = std::uint32_t(chain), element32 = std::uint32_t(element);
          const std::uint64_t count = changed.size();
          file.write(kSparseMagic, sizeof kSparseMagic);
          file.write(previous->id.data(), 32);
          file.write(&chain32, sizeof chain32);
          file.write(&element32, sizeof element32);
          file.write(&count, sizeof count);
          file.write(changed.data(), changed.size() * sizeof(std::uint64_t));
          std::vector<std::byte> values(changed.size() * element);
          for (std::size_t k = 0; k < changed.size(); ++k)
            std::memcpy(values.data() + k * element, bytes + changed[k] * element, element);
          file.write(values.data(), values.size());
          file.commit();
          return id;
        }
      }
    }
  }
  io::AtomicFile file(fullPath(id));
  file.write(bytes, size);
  file.commit();
  return id;
}

bool ObjectStore::mostlyChanged(const std::string& id, const std::byte* bytes, std::size_t size,
                                std::size_t element) const {
  const auto found = locate(id);
  if (!found || found->sparse) return false; // a sparse object: compared in full
  const int fd = ::open(found->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const std::size_t elements = size / element, samples = std::min<std::size_t>(elements, 4096);
  std::size_t changed = 0;
  std::byte stored[16];
  for (std::size_t k = 0; k < samples && element <= sizeof stored; ++k) {
    const std::size_t index = k * elements / samples;
    if (::pread(fd, stored, element, off_t(index * element)) != ssize_t(element) ||
        std::memcmp(stored, bytes + index * element, element) != 0)
      ++changed;
  }
  ::close(fd);
  // A sparse object pays 8 bytes of index per changed element: beyond element / (8 + element) of them
  // changed, it is larger than the tensor. Half that in the sample is already hopeless.
  return changed * (8 + element) > samples * element / 2;
}

std::vector<std::byte> ObjectStore::get(const StoredTensor& tensor) const {
  return read(tensor, 0);
}

void ObjectStore::stream(const StoredTensor& tensor, const Sink& sink) const {
  if (!isObjectId(tensor.id)) throw io::IoError(root_, "'" + tensor.id + "' is not a theta object id");
  const auto found = locate(tensor.id);
  const std::string path = found ? found->path : fullPath(tensor.id);
  std::ifstream in(path, std::ios::binary);
  if (!found || found->sparse || !in) { // a sparse object (or none): rebuilt whole, which checks it
    const std::vector<std::byte> bytes = get(tensor);
    sink(bytes.data(), bytes.size());
    return;
  }
  ObjectHasher hasher(tensor.dtype, tensor.shape);
  std::vector<std::byte> buffer(std::size_t(8) << 20);
  while (in.read(reinterpret_cast<char*>(buffer.data()), std::streamsize(buffer.size())) || in.gcount() > 0) {
    const auto got = std::size_t(in.gcount());
    hasher.update(buffer.data(), got);
    sink(buffer.data(), got);
  }
  if (in.bad()) throw io::IoError(path, "theta object could not be read");
  const std::string actual = hasher.id();
  if (actual != tensor.id)
    throw io::IoError(path, "corrupt theta object: its content hashes to " + actual + ", not to its name");
}

std::vector<std::byte> ObjectStore::read(const StoredTensor& tensor, int depth) const {
  if (!isObjectId(tensor.id)) throw io::IoError(root_, "'" + tensor.id + "' is not a theta object id");
  std::vector<std::byte> bytes;
  const auto found = locate(tensor.id);
  std::string path = found ? found->path : fullPath(tensor.id);
  if (found && !found->sparse) {
    bytes = readWhole(path);
  } else if (found) {
    const std::vector<std::byte> sparse = readWhole(path);
    if (sparse.size() < kSparseHeader || std::memcmp(sparse.data(), kSparseMagic, sizeof kSparseMagic) != 0)
      throw io::IoError(path, "corrupt theta object: not a sparse object");
    if (depth > kMaxChain) throw io::IoError(path, "corrupt theta object: its chain of bases does not end");
    const std::string base(reinterpret_cast<const char*>(sparse.data()) + 8, 32);
    const auto element = readAt<std::uint32_t>(sparse, 44);
    const auto count = readAt<std::uint64_t>(sparse, 48);
    if (element == 0 || count > (sparse.size() - kSparseHeader) / (sizeof(std::uint64_t) + element) ||
        sparse.size() != kSparseHeader + count * (sizeof(std::uint64_t) + element))
      throw io::IoError(path, "corrupt theta object: its size does not match its count of changes");
    bytes = read({tensor.dtype, tensor.shape, base}, depth + 1);
    const std::byte* values = sparse.data() + kSparseHeader + count * sizeof(std::uint64_t);
    for (std::uint64_t k = 0; k < count; ++k) {
      const auto index = readAt<std::uint64_t>(sparse, kSparseHeader + k * sizeof(std::uint64_t));
      if (index >= bytes.size() / element)
        throw io::IoError(path, "corrupt theta object: an index is out of range");
      std::memcpy(bytes.data() + index * element, values + k * element, element);
    }
  } else {
    throw io::IoError(path,
                      "missing theta object (in a clone, `merganser-cli theta install` reads its origin's)");
  }
  const std::string actual = objectId(tensor.dtype, tensor.shape, bytes.data(), bytes.size());
  if (actual != tensor.id)
    throw io::IoError(path, "corrupt theta object: its content hashes to " + actual + ", not to its name");
  return bytes;
}

} // namespace mg::theta
