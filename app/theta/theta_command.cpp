// theta install|clean|smudge|diff|show: checkpoints under git version control, each tensor stored once by
// content (core/theta). `install` sets a repository up; git runs the others itself, through merganser-theta.
#include <cstdio>
#include <filesystem>
#include <unistd.h>

#include "theta/theta_command.h"

#include "cli/command.h"
#include "io/git_command.h"
#include "io/io_error.h"
#include "io/tensor.h"
#include "theta/checkpoint_diff.h"
#include "theta/filters.h"
#include "theta/install.h"
#include "theta/manifest.h"
#include "theta/remote_objects.h"

namespace mg::cli {

namespace {

constexpr const char* kThetaUsage =
    "usage: merganser-cli theta install [DIR]     set up the git repository DIR is in (default: here)\n"
    "       merganser-cli theta diff OLD NEW      tensors changed, added and removed, with norms of change\n"
    "       merganser-cli theta show FILE         one line per tensor: name, dtype, shape, object\n"
    "       merganser-cli theta push [REMOTE [REV...]]  push the objects the commits REV.. (HEAD) name\n"
    "       merganser-cli theta fetch [REMOTE [REV]]    fetch the objects of REV's (HEAD's) checkpoints and\n"
    "                                             check out those the work tree holds as manifests\n"
    "       merganser-cli theta clean|smudge PATH git's filter driver (stdin to stdout), run by git\n"
    "       merganser-cli theta pre-push REMOTE   git's pre-push hook (`theta install` writes it)\n"
    "REMOTE defaults to git config theta.remote, else the current branch's remote, else origin.\n";

// What git should run, by absolute path (git may run with another PATH): merganser-theta beside this
// program when it is there, else this program's own theta command.
std::string driverCommand() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "merganser-cli theta";
  const std::filesystem::path light = self.parent_path() / "merganser-theta";
  if (self.filename() == "merganser-theta" || std::filesystem::exists(light, ec))
    return theta::shellQuoted(light.string());
  return theta::shellQuoted(self.string()) + " theta";
}

int showFile(const std::string& file) {
  const theta::CheckpointSide side = theta::readSide(file);
  if (!side.manifest) return kExitOk;
  for (const theta::ManifestEntry& entry : side.manifest->tensors)
    std::printf("%s %s %s %s\n", entry.name.empty() ? "(whole file)" : entry.name.c_str(),
                entry.tensor.dtype.c_str(), io::shapeToString(entry.tensor.shape).c_str(),
                entry.tensor.id.c_str());
  return kExitOk;
}

int diffFiles(const std::string& name, const std::string& before, const std::string& after) {
  const theta::ObjectStore store = theta::ObjectStore::forRepository();
  const auto diff = theta::diffCheckpoints(theta::readSide(before), theta::readSide(after), store);
  std::fputs(theta::diffReport(name, diff).c_str(), stdout);
  return kExitOk;
}

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
  return text;
}

std::string remoteOrDefault(const std::vector<std::string>& args) {
  const std::string remote = args.size() >= 2 ? args[1] : theta::defaultThetaRemote();
  if (remote.empty())
    throw io::IoError(".", "the repository has no remote: name one, or set git config theta.remote");
  return remote;
}

int pushCommand(const std::vector<std::string>& args) {
  const std::string remote = remoteOrDefault(args);
  std::vector<std::string> revisions(args.size() > 2 ? args.begin() + 2 : args.end(), args.end());
  if (revisions.empty()) revisions.push_back("HEAD");
  const theta::ObjectStore store = theta::ObjectStore::forRepository();
  const auto sent = theta::pushObjects(store, remote, theta::objectsInCommits(revisions));
  std::printf("pushed %zu theta object(s), %s, to %s\n", sent.objects, megabytes(sent.bytes).c_str(),
              remote.c_str());
  return kExitOk;
}

int fetchCommand(const std::vector<std::string>& args) {
  const std::string remote = remoteOrDefault(args);
  theta::ObjectStore store = theta::ObjectStore::forRepository();
  const auto came =
      theta::fetchObjects(store, remote, theta::objectsInTree(args.size() > 2 ? args[2] : "HEAD"));
  std::printf("fetched %zu theta object(s), %s, from %s\n", came.objects, megabytes(came.bytes).c_str(),
              remote.c_str());
  const io::GitResult top = io::runGit({"rev-parse", "--show-toplevel"});
  if (top.status == 0)
    std::fputs(theta::checkOutManifests(top.output.substr(0, top.output.find('\n'))).c_str(), stdout);
  return kExitOk;
}

// git runs the hook with the remote's name and URL, and one line per ref on standard input:
// "LOCAL-REF LOCAL-COMMIT REMOTE-REF REMOTE-COMMIT". The objects of the commits the remote lacks go first;
// a failure stops the push (exit status 1), so the remote never holds commits it cannot check out.
int prePushHook(const std::string& remote) {
  const std::string none(40, '0');
  std::vector<std::string> revisions;
  char line[4096];
  while (std::fgets(line, sizeof line, stdin)) {
    char localRef[1024], local[128], remoteRef[1024], theirs[128];
    if (std::sscanf(line, "%1023s %127s %1023s %127s", localRef, local, remoteRef, theirs) != 4) continue;
    if (local == none) continue; // a deletion
    revisions.push_back(local);
    if (theirs != none && io::runGit({"cat-file", "-e", std::string(theirs) + "^{commit}"}).status == 0)
      revisions.push_back(std::string("^") + theirs);
  }
  if (revisions.empty()) return kExitOk;
  const theta::ObjectStore store = theta::ObjectStore::forRepository();
  const auto sent = theta::pushObjects(store, remote, theta::objectsInCommits(revisions));
  if (sent.objects > 0)
    std::fprintf(stderr, "theta: pushed %zu object(s), %s, to %s\n", sent.objects,
                 megabytes(sent.bytes).c_str(), remote.c_str());
  return kExitOk;
}

} // namespace

int runTheta(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help") {
    std::fputs(kThetaUsage, args.empty() ? stderr : stdout);
    return args.empty() ? kExitBadInput : kExitOk;
  }
  const std::string& command = args[0];
  try {
    if (command == "install" && args.size() <= 2) {
      std::fputs(theta::installInRepository(args.size() == 2 ? args[1] : ".", driverCommand()).c_str(),
                 stdout);
      return kExitOk;
    }
    if (command == "clean" && args.size() == 2) {
      theta::ObjectStore store = theta::ObjectStore::forRepository();
      store.setTolerance(theta::configuredTolerance());
      theta::cleanFilter(stdin, stdout, store, args[1], theta::indexedUpdateBases(args[1], store));
      return std::fflush(stdout) == 0 ? kExitOk : kExitFailure;
    }
    if (command == "smudge" && args.size() == 2) {
      theta::ObjectStore store = theta::ObjectStore::forRepository();
      theta::smudgeFilter(stdin, stdout, store, args[1]);
      return kExitOk;
    }
    // git runs an external diff with PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE.
    if (command == "diff" && args.size() == 8) return diffFiles(args[1], args[2], args[5]);
    if (command == "diff" && args.size() == 3) return diffFiles(args[2], args[1], args[2]);
    if (command == "show" && args.size() == 2) return showFile(args[1]);
    if (command == "push") return pushCommand(args);
    if (command == "fetch" && args.size() <= 3) return fetchCommand(args);
    if (command == "pre-push" && args.size() >= 2) return prePushHook(args[1]);
  } catch (const io::IoError& error) {
    std::fprintf(stderr, "merganser-cli theta %s: %s\n", command.c_str(), error.what());
    const bool work = command == "clean" || command == "smudge" || command == "push" || command == "fetch" ||
                      command == "pre-push";
    return work ? kExitFailure : kExitBadInput;
  }
  std::fprintf(stderr, "merganser-cli theta: unknown command or wrong arguments\n%s", kThetaUsage);
  return kExitBadInput;
}

} // namespace mg::cli
