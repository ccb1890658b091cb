#include "theta/remote_objects.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include "io/git_command.h"
#include "io/io_error.h"
#include "theta/git_manifests.h"
#include "theta/manifest.h"
#include "theta/object_id.h"

namespace fs = std::filesystem;

namespace mg::theta {

namespace {

constexpr const char* kRefPrefix = "refs/theta/objects/";
constexpr std::size_t kRefsPerCommand = 500; // refspecs per git push/fetch: far inside any argument limit

std::string firstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// A folder under the store's temporary folder, removed with everything in it.
class ScratchFolder {
public:
  explicit ScratchFolder(const ObjectStore& store) {
    std::string pattern = (fs::path(store.temporaryFolder()) / "transfer-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw io::IoError(pattern, "cannot create a temporary folder");
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  fs::path path() const { return path_; }

private:
  fs::path path_;
};

struct Captured {
  int status = -1;
  std::string output, error;
};

// git with its standard output in a file of `scratch` (so that both it and standard error are read without
// either pipe filling), under `options`.
Captured capture(const std::vector<std::string>& args, const ScratchFolder& scratch,
                 const io::GitOptions& options = {}) {
  const fs::path out = scratch.path() / "git-output";
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw io::IoError(out.string(), "cannot create a temporary file");
  const io::GitResult run = io::runGitInto(args, "", fd, options);
  ::close(fd);
  std::ifstream in(out, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return {run.status, text.str(), run.error};
}

std::string gitMessage(const Captured& run) {
  std::string message = firstLine(run.error);
  return message.empty() ? "git exited with status " + std::to_string(run.status) : message;
}

// A temporary git object folder for the blobs in transit; the repository's own objects are read through it.
io::GitOptions transitObjects(const ObjectStore& store, const ScratchFolder& scratch) {
  const fs::path objects = scratch.path() / "objects";
  std::error_code ec;
  fs::create_directories(objects / "pack", ec);
  fs::create_directories(objects / "info", ec);
  const fs::path own = fs::path(store.root()).parent_path() / "objects";
  return {{"GIT_OBJECT_DIRECTORY=" + objects.string(), "GIT_ALTERNATE_OBJECT_DIRECTORIES=" + own.string()},
          ""};
}

// Settings for blobs that are tensors: stored and sent without zlib work and never as deltas.
const std::vector<std::string> kTensorBlobSettings = {
    "-c", "core.compression=0", "-c", "core.looseCompression=0",
    "-c", "pack.compression=0", "-c", "core.bigFileThreshold=1",
    "-c", "pack.window=0"};

std::vector<std::string> withSettings(std::vector<std::string> args) {
  args.insert(args.begin(), kTensorBlobSettings.begin(), kTensorBlobSettings.end());
  return args;
}

// The remote's objects: name (id + form suffix) -> the blob's git id.
std::map<std::string, std::string> remoteObjects(const std::string& remote, const ScratchFolder& scratch) {
  const Captured listed = capture({"ls-remote", "--refs", remote, std::string(kRefPrefix) + "*"}, scratch);
  if (listed.status != 0)
    throw io::IoError(remote, "cannot list the remote's theta objects: " + gitMessage(listed));
  std::map<std::string, std::string> objects;
  std::istringstream lines(listed.output);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos || line.compare(tab + 1, std::strlen(kRefPrefix), kRefPrefix) != 0) continue;
    objects[line.substr(tab + 1 + std::strlen(kRefPrefix))] = line.substr(0, tab);
  }
  return objects;
}

// The remote's entry for object `id` in whichever form it holds it.
const std::pair<const std::string, std::string>*
remoteEntry(const std::map<std::string, std::string>& objects, const std::string& id) {
  for (const char* suffix : {"", ".sparse", ".lowrank"}) {
    const auto found = objects.find(id + suffix);
    if (found != objects.end()) return &*found;
  }
  return nullptr;
}

// The tensors the manifests among `blobs` name, each once.
std::vector<StoredTensor> tensorsOfManifestBlobs(const std::vector<std::string>& blobs,
                                                 const ScratchFolder& scratch) {
  std::vector<StoredTensor> tensors;
  std::set<std::string> seen;
  for (const Manifest& manifest : manifestsOfBlobs(blobs, scratch.path().string()))
    for (const ManifestEntry& entry : manifest.tensors)
      if (seen.insert(entry.tensor.id).second) tensors.push_back(entry.tensor);
  return tensors;
}

// The objects a tensor reads, from its own to the full one at the end of its chain, as far as they are here.
struct ChainLink {
  std::string id, suffix, path;
};

std::vector<ChainLink> chainHere(const ObjectStore& store, const StoredTensor& tensor, std::string* missing) {
  std::vector<ChainLink> chain;
  std::string id = tensor.id;
  for (int depth = 0; depth <= ObjectStore::kMaxChain + 1; ++depth) {
    const auto file = store.objectFile(id);
    if (!file) {
      if (missing) *missing = id;
      return chain;
    }
    chain.push_back({id, file->suffix, file->path});
    const auto base = store.baseOf(id);
    if (!base) return chain;
    id = *base;
  }
  throw io::IoError(store.root(), "corrupt theta object " + tensor.id + ": its chain of bases does not end");
}

} // namespace

bool storedHere(const ObjectStore& store, const StoredTensor& tensor) {
  std::string missing;
  try {
    chainHere(store, tensor, &missing);
  } catch (const io::IoError&) {
    return true; // present but damaged: reading it reports that, a fetch would not mend it
  }
  return missing.empty();
}

std::string defaultThetaRemote() {
  const io::GitResult configured = io::runGit({"config", "--get", "theta.remote"});
  if (configured.status == 0 && !firstLine(configured.output).empty()) return firstLine(configured.output);
  const io::GitResult branch = io::runGit({"symbolic-ref", "--quiet", "--short", "HEAD"});
  if (branch.status == 0) {
    const io::GitResult remote =
        io::runGit({"config", "--get", "branch." + firstLine(branch.output) + ".remote"});
    if (remote.status == 0 && !firstLine(remote.output).empty()) return firstLine(remote.output);
  }
  const io::GitResult origin = io::runGit({"config", "--get", "remote.origin.url"});
  return origin.status == 0 ? "origin" : "";
}

std::vector<StoredTensor> objectsInCommits(const std::vector<std::string>& revisions) {
  const ObjectStore store = ObjectStore::forRepository();
  const ScratchFolder scratch(store);
  std::vector<std::string> args{"rev-list", "--objects"};
  args.insert(args.end(), revisions.begin(), revisions.end());
  const Captured listed = capture(args, scratch);
  if (listed.status != 0) throw io::IoError(".", "git rev-list failed: " + gitMessage(listed));
  std::vector<std::string> blobs;
  std::set<std::string> seen;
  std::istringstream lines(listed.output);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t space = line.find(' ');
    if (space != std::string::npos && isCheckpointPath(line.substr(space + 1)) &&
        seen.insert(line.substr(0, space)).second)
      blobs.push_back(line.substr(0, space));
  }
  return tensorsOfManifestBlobs(blobs, scratch);
}

std::vector<StoredTensor> objectsInTree(const std::string& revision) {
  const ObjectStore store = ObjectStore::forRepository();
  const ScratchFolder scratch(store);
  const Captured listed = capture({"ls-tree", "-r", "-z", "--full-tree", revision}, scratch);
  if (listed.status != 0) throw io::IoError(revision, "git ls-tree failed: " + gitMessage(listed));
  std::vector<std::string> blobs;
  std::istringstream entries(listed.output);
  for (std::string entry; std::getline(entries, entry, '\0');) { // "MODE TYPE OBJECT\tPATH"
    const std::size_t tab = entry.find('\t');
    std::istringstream fields(entry.substr(0, tab));
    std::string mode, type, object;
    fields >> mode >> type >> object;
    if (tab != std::string::npos && type == "blob" && isCheckpointPath(entry.substr(tab + 1)))
      blobs.push_back(object);
  }
  return tensorsOfManifestBlobs(blobs, scratch);
}

Transfer pushObjects(const ObjectStore& store, const std::string& remote,
                     const std::vector<StoredTensor>& tensors) {
  const ScratchFolder scratch(store);
  const std::map<std::string, std::string> there = remoteObjects(remote, scratch);
  std::vector<ChainLink> send;
  std::set<std::string> queued;
  for (const StoredTensor& tensor : tensors) {
    if (remoteEntry(there, tensor.id)) continue; // its bases went with it
    std::string missing;
    for (const ChainLink& link : chainHere(store, tensor, &missing))
      if (!remoteEntry(there, link.id) && queued.insert(link.id).second) send.push_back(link);
    if (!missing.empty())
      throw io::IoError(store.root(), "theta object " + missing + " is in no store here, so " + remote +
                                          " could not check out what names it; nothing was pushed");
  }
  Transfer transfer;
  if (send.empty()) return transfer;

  const io::GitOptions transit = transitObjects(store, scratch);
  const fs::path paths = scratch.path() / "paths";
  {
    std::ofstream out(paths);
    for (const ChainLink& link : send) {
      out << link.path << '\n';
      transfer.bytes += fs::file_size(link.path);
    }
  }
  io::GitOptions hashing = transit;
  hashing.inputFile = paths.string();
  const Captured hashed =
      capture(withSettings({"hash-object", "-w", "--no-filters", "--stdin-paths"}), scratch, hashing);
  std::istringstream blobs(hashed.output);
  std::vector<std::string> refspecs;
  for (const ChainLink& link : send) {
    std::string blob;
    if (!std::getline(blobs, blob) || blob.size() < 40)
      throw io::IoError(link.path, "git hash-object failed: " + gitMessage(hashed));
    refspecs.push_back(blob + ":" + kRefPrefix + link.id + link.suffix);
  }
  for (std::size_t from = 0; from < refspecs.size(); from += kRefsPerCommand) {
    std::vector<std::string> args = withSettings({"push", "--no-verify", "--quiet", remote});
    args.insert(args.end(), refspecs.begin() + std::ptrdiff_t(from),
                refspecs.begin() + std::ptrdiff_t(std::min(refspecs.size(), from + kRefsPerCommand)));
    const Captured pushed = capture(args, scratch, transit);
    if (pushed.status != 0) throw io::IoError(remote, "pushing theta objects failed: " + gitMessage(pushed));
  }
  transfer.objects = send.size();
  return transfer;
}

Transfer fetchObjects(ObjectStore& store, const std::string& remote,
                      const std::vector<StoredTensor>& tensors) {
  std::vector<StoredTensor> needed;
  for (const StoredTensor& tensor : tensors)
    if (!storedHere(store, tensor)) needed.push_back(tensor);
  if (needed.empty()) return {};
  const ScratchFolder scratch(store);
  const io::GitOptions transit = transitObjects(store, scratch);
  std::map<std::string, std::string> there;
  bool listed = false;
  std::vector<std::string> adopted;
  Transfer transfer;
  auto forgetFetched = [&] {
    for (const std::string& id : adopted)
      store.remove(id);
  };
  // Rounds: the objects missing here, then the bases of the updates that came, until every chain is whole.
  for (int round = 0; round <= ObjectStore::kMaxChain + 1; ++round) {
    std::vector<std::string> wanted;
    std::set<std::string> seen;
    for (const StoredTensor& tensor : needed) {
      std::string missing;
      chainHere(store, tensor, &missing);
      if (!missing.empty() && seen.insert(missing).second) wanted.push_back(missing);
    }
    if (wanted.empty()) break;
    if (!listed) there = remoteObjects(remote, scratch), listed = true;
    std::vector<std::pair<std::string, const std::pair<const std::string, std::string>*>> found;
    for (const std::string& id : wanted) {
      const auto* entry = remoteEntry(there, id);
      if (!entry) {
        forgetFetched();
        throw io::IoError(remote,
                          "theta object " + id + " is missing here and on " + remote +
                              " (was it pushed? `merganser-cli theta push` in the repository that has it)");
      }
      found.emplace_back(id, entry);
    }
    for (std::size_t from = 0; from < found.size(); from += kRefsPerCommand) {
      // Kept as the pack that arrives (not unpacked into loose objects, each zlib-compressed again).
      std::vector<std::string> args =
          withSettings({"-c", "fetch.unpackLimit=1", "fetch", "--no-write-fetch-head", "--no-tags",
                        "--no-auto-gc", "--quiet", remote});
      for (std::size_t k = from; k < std::min(found.size(), from + kRefsPerCommand); ++k)
        args.push_back(kRefPrefix + found[k].second->first);
      const Captured fetched = capture(args, scratch, transit);
      if (fetched.status != 0) {
        forgetFetched();
        throw io::IoError(remote, "fetching theta objects failed: " + gitMessage(fetched));
      }
    }
    for (const auto& [id, entry] : found) {
      const std::string suffix = entry->first.substr(id.size());
      const fs::path file = fs::path(store.temporaryFolder()) / ("fetched-" + id + suffix);
      const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) throw io::IoError(file.string(), "cannot create a temporary file");
      const io::GitResult blob = io::runGitInto({"cat-file", "blob", entry->second}, "", fd, transit);
      const bool written = ::fsync(fd) == 0;
      ::close(fd);
      if (blob.status != 0 || !written) {
        std::error_code ec;
        fs::remove(file, ec);
        forgetFetched();
        throw io::IoError(remote, "theta object " + id + " did not arrive: " + firstLine(blob.error));
      }
      transfer.bytes += fs::file_size(file);
      store.adopt(id, suffix, file.string());
      adopted.push_back(id);
      ++transfer.objects;
    }
  }
  try {
    for (const StoredTensor& tensor : needed) // every byte that came, checked against its name
      store.stream(tensor, [](const std::byte*, std::size_t) {});
  } catch (const io::IoError& error) {
    forgetFetched();
    throw io::IoError(remote, std::string("a theta object fetched did not check out: ") + error.what());
  }
  return transfer;
}

} // namespace mg::theta
