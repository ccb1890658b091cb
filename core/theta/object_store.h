#pragma once
// Where the tensors of a repository's versioned checkpoints live: one file per distinct tensor, named by its
// content (theta/object_id.h), under <git dir>/theta/objects/ab/cdef…. A tensor that differs from its
// previous version in few elements is stored as those elements (a ".sparse" object: the previous version's
// name, the indices and the new values) when that is smaller; reading follows such chains and checks every
// tensor's content against its name, so a corrupted or missing object is an error, never a wrong tensor.
// One that differs by a low-rank update (a fine-tune, a merged LoRA adapter) is stored as that update (a
// ".lowrank" object: the previous version's name, the factors and the few elements they round wrong;
// theta/low_rank_update.h) when that is smaller.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mg::theta {

// A tensor as a manifest names it.
struct StoredTensor {
  std::string dtype; // safetensors name, or "raw"
  std::vector<std::int64_t> shape;
  std::string id;
};

class ObjectStore {
public:
  explicit ObjectStore(std::string root); // the theta folder; created on first write
  // The store of the git repository `folder` (or the current folder) is in: `git rev-parse
  // --git-common-dir`/theta, shared by all its worktrees. Throws IoError when `folder` is in no repository.
  static ObjectStore forRepository(const std::string& folder = "");

  const std::string& root() const { return root_; }
  std::string temporaryFolder() const; // created on demand; for the filters' spill files

  // Stores `bytes` as a tensor of `dtype` and `shape` and returns its id; nothing is written when the store
  // has it. `previous` (the same tensor in the previous version, if any) may serve as the base of a sparse
  // or low-rank object. With a tolerance above zero the id returned may be that of a stand-in: a low-rank
  // object within the tolerance of `bytes` element by element (remembered under <root>/lossy/, so storing
  // the same bytes again returns the same stand-in without a search).
  std::string put(const std::string& dtype, const std::vector<std::int64_t>& shape, const std::byte* bytes,
                  std::size_t size, const StoredTensor* previous = nullptr);
  bool has(const std::string& id) const;
  // The tensor's bytes, checked against its id. Throws IoError naming the object file when it is missing,
  // unreadable or corrupt.
  std::vector<std::byte> get(const StoredTensor& tensor) const;
  // The same bytes given to `sink` in pieces of a few MiB (a full object is never held whole), then checked:
  // on IoError the caller must discard what `sink` received.
  using Sink = std::function<void(const std::byte* bytes, std::size_t size)>;
  void stream(const StoredTensor& tensor, const Sink& sink) const;
  // Bytes the object takes in the store (0 when missing): the measure of what a version added.
  std::uint64_t storedSize(const std::string& id) const;

  // Where the object is (here, else in an alternate) and its form: "" full, ".sparse" or ".lowrank".
  struct ObjectFile {
    std::string path, suffix;
  };
  std::optional<ObjectFile> objectFile(const std::string& id) const;
  // The id of the object an update is built on; nothing for a full (or missing) object. Throws IoError when
  // the update's header cannot be read.
  std::optional<std::string> baseOf(const std::string& id) const;
  // Moves `file` (on the store's file system: from temporaryFolder()) into the store as object `id` of the
  // form `suffix`. Not checked here: the caller reads the tensors it names back through get().
  void adopt(const std::string& id, const std::string& suffix, const std::string& file);
  // Removes the object from this store (not from alternates): one a fetch brought that did not check out.
  void remove(const std::string& id);

  // Other stores read (never written) when an object is not in this one: a clone reads its origin's (`theta
  // install` adds it), a team a shared folder's. Kept in <root>/alternates, one theta folder per line.
  const std::vector<std::string>& alternates() const { return alternates_; }
  void addAlternate(const std::string& root); // throws IoError when the list cannot be written

  // How far a low-rank object may rebuild each element from what was committed (absolute; 0: exactly, the
  // default). Set from git's `theta.tolerance` by the clean filter.
  void setTolerance(double tolerance) { tolerance_ = tolerance; }

  static constexpr int kMaxChain = 16;          // updates on updates, before a full copy is stored
  int chainLength(const std::string& id) const; // 0 for a full object (or a missing one)

private:
  std::string fullPath(const std::string& id) const; // in this store, where put() writes
  enum class Form { Full, Sparse, LowRank };
  struct Location {
    std::string path;
    Form form = Form::Full;
  };
  std::optional<Location> locate(const std::string& id) const; // here, else in the first alternate with it
  std::vector<std::byte> read(const StoredTensor& tensor, int depth) const;
  std::vector<std::byte> readSparse(const std::string& path, const StoredTensor& tensor, int depth) const;
  std::vector<std::byte> readLowRank(const std::string& path, const StoredTensor& tensor, int depth) const;
  bool putSparse(const std::string& id, const StoredTensor& previous, int chain,
                 const std::vector<std::byte>& before, const std::byte* bytes, std::size_t size,
                 std::size_t element);
  std::optional<std::string> putLowRank(const std::string& id, const StoredTensor& previous, int chain,
                                        const std::vector<std::byte>& before, const std::byte* bytes,
                                        std::size_t size);
  std::optional<std::string> lossyStandIn(const std::string& id) const;
  // Whether comparing `bytes` with the full object `id` at a few thousand evenly spaced elements finds so
  // many changed that a sparse object cannot be smaller (then the whole comparison is not worth making).
  bool mostlyChanged(const std::string& id, const std::byte* bytes, std::size_t size,
                     std::size_t element) const;

  std::string root_;
  std::vector<std::string> alternates_;
  double tolerance_ = 0;
};

} // namespace mg::theta
