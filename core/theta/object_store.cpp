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
#include "theta/low_rank_update.h"
#include "theta/object_id.h"

namespace fs = std::filesystem;

namespace mg::theta {

namespace {

// Both kinds of update start with a magic, the base's id (32 bytes of hex), the chain length (u32) and the
// element size (u32).
// A sparse object then has the count of changed elements (u64), their indices (u64 each, ascending) and
// their new values.
constexpr char kSparseMagic[8] = {'M', 'G', 'T', 'H', 'S', 'P', '1', '\0'};
constexpr std::size_t kUpdateHeader = 8 + 32 + 4 + 4 + 8;
// A low-rank object then has rows, columns, rank, the size of the packed residuals and the count of exact
// values (u64 each), the factors (float32, rows × rank and rank × columns, row-major), the packed residuals,
// the exact values' indices (u64, ascending) and the values (theta/low_rank_update.h).
constexpr char kLowRankMagic[8] = {'M', 'G', 'T', 'H', 'L', 'R', '1', '\0'};
constexpr std::size_t kLowRankHeader = 8 + 32 + 4 + 4 + 5 * 8;
constexpr std::size_t kLowRankMinimum = 64 << 10; // below it the search costs more than the room it saves

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
    const std::string full = (fs::path(root) / "objects" / id.substr(0, 2) / id.substr(2)).string();
    if (fs::exists(full, ec)) return Location{full, Form::Full};
    if (fs::exists(full + ".sparse", ec)) return Location{full + ".sparse", Form::Sparse};
    if (fs::exists(full + ".lowrank", ec)) return Location{full + ".lowrank", Form::LowRank};
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

std::optional<ObjectStore::ObjectFile> ObjectStore::objectFile(const std::string& id) const {
  const auto found = locate(id);
  if (!found) return std::nullopt;
  return ObjectFile{found->path, found->form == Form::Sparse    ? ".sparse"
                                 : found->form == Form::LowRank ? ".lowrank"
                                                                : ""};
}

std::optional<std::string> ObjectStore::baseOf(const std::string& id) const {
  const auto found = locate(id);
  if (!found || found->form == Form::Full) return std::nullopt;
  std::ifstream in(found->path, std::ios::binary);
  char header[kUpdateHeader];
  if (!in.read(header, sizeof header)) throw io::IoError(found->path, "theta object could not be read");
  std::string base(header + 8, 32);
  if (!isObjectId(base)) throw io::IoError(found->path, "corrupt theta object: its base is not an object id");
  return base;
}

void ObjectStore::adopt(const std::string& id, const std::string& suffix, const std::string& file) {
  const fs::path target = fullPath(id) + suffix;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  fs::rename(file, target, ec);
  if (ec) throw io::IoError(target.string(), "cannot store a fetched theta object: " + ec.message());
}

void ObjectStore::remove(const std::string& id) {
  std::error_code ec;
  for (const char* suffix : {"", ".sparse", ".lowrank"})
    fs::remove(fullPath(id) + suffix, ec);
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
  if (!found || found->form == Form::Full) return 0;
  std::ifstream in(found->path, std::ios::binary);
  char header[kUpdateHeader];
  if (!in.read(header, sizeof header)) return kMaxChain; // unreadable: never build on it
  std::uint32_t chain;
  std::memcpy(&chain, header + 40, sizeof chain);
  return int(chain);
}

std::optional<std::string> ObjectStore::lossyStandIn(const std::string& id) const {
  std::vector<std::string> roots{root_};
  roots.insert(roots.end(), alternates_.begin(), alternates_.end());
  for (const std::string& root : roots) {
    std::ifstream in(fs::path(root) / "lossy" / id.substr(0, 2) / id.substr(2));
    std::string standIn;
    if (in >> standIn && isObjectId(standIn) && has(standIn)) return standIn;
  }
  return std::nullopt;
}

std::string ObjectStore::put(const std::string& dtype, const std::vector<std::int64_t>& shape,
                             const std::byte* bytes, std::size_t size, const StoredTensor* previous) {
  const std::string id = objectId(dtype, shape, bytes, size);
  if (has(id)) return id;
  if (tolerance_ > 0)
    if (auto standIn = lossyStandIn(id)) return *standIn;
  std::error_code ec;
  fs::create_directories(fs::path(fullPath(id)).parent_path(), ec);
  if (ec)
    throw io::IoError(fs::path(fullPath(id)).parent_path().string(), "cannot create folder: " + ec.message());

  // An update of the previous version when that has the same layout, is in the store, is not at the end of
  // a long chain, and the update takes less room than the whole tensor: its changed elements, else its
  // low-rank factors.
  if (previous && previous->dtype == dtype && previous->shape == shape && previous->id != id &&
      has(previous->id)) {
    const int chain = chainLength(previous->id) + 1;
    const std::size_t element = elementSize(dtype);
    const auto parsed = io::dtypeFromName(dtype);
    const bool lowRank = parsed && lowRankDtype(*parsed) && shape.size() >= 2 && size >= kLowRankMinimum;
    const bool sparse = !mostlyChanged(previous->id, bytes, size, element);
    if (chain <= kMaxChain && size % element == 0 && (sparse || lowRank)) {
      const std::vector<std::byte> before = get(*previous);
      if (before.size() == size) {
        if (sparse && putSparse(id, *previous, chain, before, bytes, size, element)) return id;
        if (lowRank)
          if (auto stored = putLowRank(id, *previous, chain, before, bytes, size)) return *stored;
      }
    }
  }
  io::AtomicFile file(fullPath(id));
  file.write(bytes, size);
  file.commit();
  return id;
}

bool ObjectStore::putSparse(const std::string& id, const StoredTensor& previous, int chain,
                            const std::vector<std::byte>& before, const std::byte* bytes, std::size_t size,
                            std::size_t element) {
  std::vector<std::uint64_t> changed;
  const std::size_t budget = size / (sizeof(std::uint64_t) + element); // beyond it, full is smaller
  for (std::size_t i = 0; i < size / element && changed.size() <= budget; ++i)
    if (std::memcmp(before.data() + i * element, bytes + i * element, element) != 0) changed.push_back(i);
  if (kUpdateHeader + changed.size() * (sizeof(std::uint64_t) + element) >= size) return false;
  io::AtomicFile file(fullPath(id) + ".sparse");
  const std::uint32_t chain32 = std::uint32_t(chain), element32 = std::uint32_t(element);
  const std::uint64_t count = changed.size();
  file.write(kSparseMagic, sizeof kSparseMagic);
  file.write(previous.id.data(), 32);
  file.write(&chain32, sizeof chain32);
  file.write(&element32, sizeof element32);
  file.write(&count, sizeof count);
  file.write(changed.data(), changed.size() * sizeof(std::uint64_t));
  std::vector<std::byte> values(changed.size() * element);
  for (std::size_t k = 0; k < changed.size(); ++k)
    std::memcpy(values.data() + k * element, bytes + changed[k] * element, element);
  file.write(values.data(), values.size());
  file.commit();
  return true;
}

std::optional<std::string> ObjectStore::putLowRank(const std::string& id, const StoredTensor& previous,
                                                   int chain, const std::vector<std::byte>& before,
                                                   const std::byte* bytes, std::size_t size) {
  const io::DType dtype = *io::dtypeFromName(previous.dtype);
  const std::size_t element = io::dtypeSize(dtype);
  const auto rows = std::size_t(previous.shape[0]);
  if (rows == 0) return std::nullopt;
  const std::size_t cols = size / element / rows;
  const auto update = findLowRankUpdate(dtype, before.data(), bytes, rows, cols, tolerance_,
                                        size - std::min(size, kLowRankHeader));
  if (!update) return std::nullopt;
  // What a checkout will rebuild, checked here once: exactly the bytes at tolerance 0, else their stand-in.
  std::vector<std::byte> rebuilt(size);
  if (!applyLowRankUpdate(dtype, before.data(), *update, rebuilt.data())) return std::nullopt;
  const std::string stored = objectId(previous.dtype, previous.shape, rebuilt.data(), size);
  if (tolerance_ <= 0 && stored != id) return std::nullopt;
  if (stored != id) {
    const fs::path note = fs::path(root_) / "lossy" / id.substr(0, 2) / id.substr(2);
    std::error_code ec;
    fs::create_directories(note.parent_path(), ec);
    io::writeFileAtomically(note.string(), stored + "\n");
    if (has(stored)) return stored;
    fs::create_directories(fs::path(fullPath(stored)).parent_path(), ec);
  }
  io::AtomicFile file(fullPath(stored) + ".lowrank");
  const std::uint32_t chain32 = std::uint32_t(chain), element32 = std::uint32_t(element);
  const std::uint64_t dimensions[5] = {update->rows, update->cols, update->rank, update->residuals.size(),
                                       update->corrected.size()};
  file.write(kLowRankMagic, sizeof kLowRankMagic);
  file.write(previous.id.data(), 32);
  file.write(&chain32, sizeof chain32);
  file.write(&element32, sizeof element32);
  file.write(dimensions, sizeof dimensions);
  file.write(update->left.data(), update->left.size() * sizeof(float));
  file.write(update->right.data(), update->right.size() * sizeof(float));
  file.write(update->residuals.data(), update->residuals.size());
  file.write(update->corrected.data(), update->corrected.size() * sizeof(std::uint64_t));
  file.write(update->correctedValues.data(), update->correctedValues.size());
  file.commit();
  return stored;
}

bool ObjectStore::mostlyChanged(const std::string& id, const std::byte* bytes, std::size_t size,
                                std::size_t element) const {
  const auto found = locate(id);
  if (!found || found->form != Form::Full) return false; // an update: compared in full
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
  if (!found || found->form != Form::Full || !in) { // an update (or none): rebuilt whole, which checks it
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
  if (depth > kMaxChain)
    throw io::IoError(fullPath(tensor.id), "corrupt theta object: its chain of bases does not end");
  const auto found = locate(tensor.id);
  if (!found)
    throw io::IoError(fullPath(tensor.id),
                      "missing theta object (in a clone, `merganser-cli theta install` reads its origin's)");
  const std::vector<std::byte> bytes = found->form == Form::Sparse ? readSparse(found->path, tensor, depth)
                                       : found->form == Form::LowRank
                                           ? readLowRank(found->path, tensor, depth)
                                           : readWhole(found->path);
  const std::string actual = objectId(tensor.dtype, tensor.shape, bytes.data(), bytes.size());
  if (actual != tensor.id)
    throw io::IoError(found->path,
                      "corrupt theta object: its content hashes to " + actual + ", not to its name");
  return bytes;
}

std::vector<std::byte> ObjectStore::readSparse(const std::string& path, const StoredTensor& tensor,
                                               int depth) const {
  const std::vector<std::byte> sparse = readWhole(path);
  if (sparse.size() < kUpdateHeader || std::memcmp(sparse.data(), kSparseMagic, sizeof kSparseMagic) != 0)
    throw io::IoError(path, "corrupt theta object: not a sparse object");
  const std::string base(reinterpret_cast<const char*>(sparse.data()) + 8, 32);
  const auto element = readAt<std::uint32_t>(sparse, 44);
  const auto count = readAt<std::uint64_t>(sparse, 48);
  if (element == 0 || count > (sparse.size() - kUpdateHeader) / (sizeof(std::uint64_t) + element) ||
      sparse.size() != kUpdateHeader + count * (sizeof(std::uint64_t) + element))
    throw io::IoError(path, "corrupt theta object: its size does not match its count of changes");
  std::vector<std::byte> bytes = read({tensor.dtype, tensor.shape, base}, depth + 1);
  const std::byte* values = sparse.data() + kUpdateHeader + count * sizeof(std::uint64_t);
  for (std::uint64_t k = 0; k < count; ++k) {
    const auto index = readAt<std::uint64_t>(sparse, kUpdateHeader + k * sizeof(std::uint64_t));
    if (index >= bytes.size() / element)
      throw io::IoError(path, "corrupt theta object: an index is out of range");
    std::memcpy(bytes.data() + index * element, values + k * element, element);
  }
  return bytes;
}

std::vector<std::byte> ObjectStore::readLowRank(const std::string& path, const StoredTensor& tensor,
                                                int depth) const {
  const std::vector<std::byte> object = readWhole(path);
  const auto dtype = io::dtypeFromName(tensor.dtype);
  if (object.size() < kLowRankHeader ||
      std::memcmp(object.data(), kLowRankMagic, sizeof kLowRankMagic) != 0 || !dtype || !lowRankDtype(*dtype))
    throw io::IoError(path, "corrupt theta object: not a low-rank object of a " + tensor.dtype + " tensor");
  const std::string base(reinterpret_cast<const char*>(object.data()) + 8, 32);
  const std::size_t element = io::dtypeSize(*dtype);
  LowRankUpdate update;
  update.rows = readAt<std::uint64_t>(object, 48);
  update.cols = readAt<std::uint64_t>(object, 56);
  update.rank = readAt<std::uint64_t>(object, 64);
  const auto packed = readAt<std::uint64_t>(object, 72);
  const auto count = readAt<std::uint64_t>(object, 80);
  // Sizes checked so that no product can overflow: each factor is below the object's size in bytes.
  const std::uint64_t limit = object.size(), sides = update.rows + update.cols;
  const bool fits = readAt<std::uint32_t>(object, 44) == element && update.rows < limit &&
                    update.cols < limit && packed < limit && count < limit &&
                    update.rank <= limit / sizeof(float) / std::max<std::uint64_t>(sides, 1) &&
                    object.size() == kLowRankHeader + update.rank * sides * sizeof(float) + packed +
                                         count * (sizeof(std::uint64_t) + element) &&
                    std::uint64_t(tensor.shape.empty() ? 0 : tensor.shape[0]) == update.rows;
  if (!fits)
    throw io::IoError(path, "corrupt theta object: its size does not match its factors and corrections");
  const std::byte* at = object.data() + kLowRankHeader;
  auto take = [&](auto& into, std::size_t n) {
    into.resize(n);
    std::memcpy(into.data(), at, n * sizeof(into[0]));
    at += n * sizeof(into[0]);
  };
  take(update.left, update.rows * update.rank);
  take(update.right, update.rank * update.cols);
  take(update.residuals, packed);
  take(update.corrected, count);
  take(update.correctedValues, count * element);
  const std::vector<std::byte> before = read({tensor.dtype, tensor.shape, base}, depth + 1);
  if (update.rows == 0 || before.size() / element / update.rows != update.cols ||
      before.size() != update.rows * update.cols * element)
    throw io::IoError(path, "corrupt theta object: its shape does not match its base's");
  std::vector<std::byte> bytes(before.size());
  if (!applyLowRankUpdate(*dtype, before.data(), update, bytes.data()))
    throw io::IoError(path, "corrupt theta object: its residuals or indices are damaged");
  return bytes;
}

} // namespace mg::theta
