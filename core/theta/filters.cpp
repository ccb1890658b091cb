#include "theta/filters.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <unistd.h>

#include "io/io_error.h"
#include "io/safetensors_file.h"
#include "io/git_command.h"
#include "theta/git_manifests.h"
#include "theta/object_id.h"
#include "theta/remote_objects.h"

namespace fs = std::filesystem;

namespace mg::theta {

namespace {

std::string readAll(std::FILE* in) {
  std::string text;
  char buffer[1 << 16];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0)
    text.append(buffer, n);
  return text;
}

void writeOut(std::FILE* out, const void* data, std::size_t size, const std::string& path) {
  if (size && std::fwrite(data, 1, size, out) != size)
    throw io::IoError(path, "could not write the filter's output");
}

// The input spilled to a file of the store's (SafetensorsFile reads files), removed when done.
class Spill {
public:
  Spill(std::FILE* in, const std::string& firstBytes, const ObjectStore& store) {
    std::string pattern = (fs::path(store.temporaryFolder()) / "clean-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw io::IoError(pattern, "cannot create a temporary file");
    path_ = pattern;
    std::unique_ptr<std::FILE, decltype(&std::fclose)> file(fdopen(fd, "wb"), &std::fclose);
    bool ok = std::fwrite(firstBytes.data(), 1, firstBytes.size(), file.get()) == firstBytes.size();
    char buffer[1 << 16];
    std::size_t n;
    while (ok && (n = std::fread(buffer, 1, sizeof buffer, in)) > 0)
      ok = std::fwrite(buffer, 1, n, file.get()) == n;
    if (!ok || std::fflush(file.get()) != 0)
      throw io::IoError(path_, "cannot write a temporary file (disk full?)");
  }
  ~Spill() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

std::vector<std::byte> readRange(const std::string& file, std::uint64_t begin, std::uint64_t size) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::byte> bytes(size);
  in.seekg(std::streamoff(begin));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size)))
    throw io::IoError(file, "could not be read");
  return bytes;
}

Manifest storeRaw(const std::string& file, ObjectStore& store) {
  Manifest manifest;
  manifest.size = fs::file_size(file);
  const std::vector<std::byte> bytes = readRange(file, 0, manifest.size);
  const std::vector<std::int64_t> shape{std::int64_t(manifest.size)};
  manifest.tensors.push_back({"", {"raw", shape, store.put("raw", shape, bytes.data(), bytes.size())}});
  return manifest;
}

// A checkout in a clone, or after a pull: the objects another repository pushed are fetched from the remote.
void fetchMissingObjects(const Manifest& manifest, ObjectStore& store, const std::string& path) {
  std::vector<StoredTensor> absent;
  for (const ManifestEntry& entry : manifest.tensors)
    if (!storedHere(store, entry.tensor)) absent.push_back(entry.tensor);
  if (absent.empty()) return;
  const std::string remote = defaultThetaRemote();
  if (remote.empty()) return; // reading reports the missing object
  try {
    fetchObjects(store, remote, absent);
  } catch (const io::IoError& error) {
    throw io::IoError(path, error.what());
  }
}

} // namespace

const StoredTensor* UpdateBases::find(const std::string& name, const std::string& dtype,
                                      const std::vector<std::int64_t>& shape,
                                      const ObjectStore& store) const {
  if (previous) return previous->find(name);
  const StoredTensor* best = nullptr;
  int bestChain = 0;
  for (const Manifest& other : others) {
    const StoredTensor* candidate = other.find(name);
    if (!candidate || candidate->dtype != dtype || candidate->shape != shape || !store.has(candidate->id))
      continue;
    const int chain = store.chainLength(candidate->id);
    if (!best || chain < bestChain) best = candidate, bestChain = chain;
  }
  return best;
}

Manifest storeCheckpoint(const std::string& file, ObjectStore& store, const UpdateBases& bases) {
  std::unique_ptr<io::SafetensorsFile> checkpoint;
  try {
    checkpoint = std::make_unique<io::SafetensorsFile>(file);
  } catch (const io::IoError&) {
    return storeRaw(file, store); // not a checkpoint git should see inside: kept whole
  }
  std::vector<io::TensorInfo> order = checkpoint->tensors();
  std::sort(order.begin(), order.end(), [&](const io::TensorInfo& a, const io::TensorInfo& b) {
    return checkpoint->fileOffset(a.name) < checkpoint->fileOffset(b.name);
  });
  // Rebuilt as length + header + the tensors back to back: that is this file only if its data is contiguous.
  const std::vector<std::byte> lengthBytes = readRange(file, 0, 8);
  std::uint64_t headerLength;
  std::memcpy(&headerLength, lengthBytes.data(), 8);
  std::uint64_t at = 8 + headerLength;
  for (const io::TensorInfo& info : order) {
    if (checkpoint->fileOffset(info.name) != at) return storeRaw(file, store);
    at += info.nbytes();
  }
  if (at != checkpoint->fileSize()) return storeRaw(file, store);

  Manifest manifest;
  manifest.size = checkpoint->fileSize();
  const std::vector<std::byte> header = readRange(file, 8, headerLength);
  manifest.header.assign(reinterpret_cast<const char*>(header.data()), header.size());
  for (const io::TensorInfo& info : order) {
    const io::TensorData data = checkpoint->load(info.name);
    const std::string dtype(io::dtypeName(info.dtype));
    const StoredTensor* before = bases.find(info.name, dtype, info.shape, store);
    const std::string id = store.put(dtype, info.shape, data.bytes.data(), data.bytes.size(), before);
    manifest.tensors.push_back({info.name, {dtype, info.shape, id}});
  }
  return manifest;
}

void cleanFilter(std::FILE* in, std::FILE* out, ObjectStore& store, const std::string& path,
                 const UpdateBases& bases) {
  // Enough to tell a manifest (passed through) from a checkpoint.
  std::string head(64, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), in));
  if (looksLikeManifest(head)) {
    const std::string text = head + readAll(in);
    writeOut(out, text.data(), text.size(), path);
    return;
  }
  const Spill spill(in, head, store);
  const std::string text = manifestToText(storeCheckpoint(spill.path(), store, bases));
  writeOut(out, text.data(), text.size(), path);
}

void smudgeFilter(std::FILE* in, std::FILE* out, ObjectStore& store, const std::string& path) {
  const std::string text = readAll(in);
  if (!looksLikeManifest(text)) { // committed before the filter was installed
    writeOut(out, text.data(), text.size(), path);
    return;
  }
  const Manifest manifest = manifestFromText(text, path);
  fetchMissingObjects(manifest, store, path);
  std::uint64_t written = 0;
  if (!manifest.raw()) {
    const std::uint64_t length = manifest.header.size();
    writeOut(out, &length, 8, path);
    writeOut(out, manifest.header.data(), manifest.header.size(), path);
    written = 8 + length;
  }
  for (const ManifestEntry& entry : manifest.tensors) {
    try {
      store.stream(entry.tensor, [&](const std::byte* bytes, std::size_t size) {
        writeOut(out, bytes, size, path);
        written += size;
      });
    } catch (const io::IoError& error) { // git drops the output of a filter that fails
      throw io::IoError(path, (manifest.raw() ? "" : "tensor " + entry.name + ": ") + error.what());
    }
  }
  if (written != manifest.size)
    throw io::IoError(path, "theta manifest: its tensors make " + std::to_string(written) + " bytes, not " +
                                std::to_string(manifest.size));
  if (std::fflush(out) != 0) throw io::IoError(path, "could not write the filter's output");
}

std::optional<Manifest> indexedManifest(const std::string& path) {
  const io::GitResult staged = io::runGit({"cat-file", "blob", ":" + path});
  if (staged.status != 0 || !looksLikeManifest(staged.output)) return std::nullopt;
  try {
    return manifestFromText(staged.output, path);
  } catch (const io::IoError&) {
    return std::nullopt; // a broken previous version is no base; the new one is stored in full
  }
}

UpdateBases indexedUpdateBases(const std::string& path, const ObjectStore& store) {
  if (auto previous = indexedManifest(path)) return UpdateBases(std::move(previous));
  const io::GitResult listed = io::runGit({"ls-files", "-z", "--stage"});
  if (listed.status != 0) return {};
  std::vector<std::string> blobs;
  std::istringstream entries(listed.output);
  for (std::string entry; std::getline(entries, entry, '\0');) { // "MODE OBJECT STAGE\tPATH"
    const std::size_t tab = entry.find('\t');
    std::istringstream fields(entry.substr(0, tab));
    std::string mode, object;
    fields >> mode >> object;
    if (tab != std::string::npos && entry.substr(tab + 1) != path && isCheckpointPath(entry.substr(tab + 1)))
      blobs.push_back(object);
  }
  return UpdateBases(std::nullopt, manifestsOfBlobs(blobs, store.temporaryFolder()));
}

double configuredTolerance() {
  const io::GitResult configured = io::runGit({"config", "--get", "theta.tolerance"});
  std::string text = configured.output.substr(0, configured.output.find('\n'));
  if (configured.status != 0 || text.empty()) return 0;
  char* end = nullptr;
  const double tolerance = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !(tolerance >= 0) || !std::isfinite(tolerance))
    throw io::IoError("git config theta.tolerance",
                      "'" + text + "' is not a tolerance (a number, 0 or more)");
  return tolerance;
}

} // namespace mg::theta
